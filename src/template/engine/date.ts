// Tera's `date` filter: chrono-style strftime over a timestamp, an RFC 3339 string or a YYYY-MM-DD date.
import { TABLES, ZONES } from './tz-abbreviations.js';
import { asString } from './args.js';
import { RenderError } from './render.js';
import { F64 } from './values.js';

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nano: number;
  /** Offset from UTC in seconds. */
  offset: number;
  weekday: number; // 0 = Sunday
  epoch: number; // seconds
  /** The tz database abbreviation when a `timezone` applies (chrono-tz's %Z), e.g. CET. */
  abbreviation?: string;
}

/** The tz database abbreviation of `zone` at `epoch` (seconds) with UTC offset `offset`, as chrono-tz prints %Z. */
export function zoneAbbreviation(zone: string, epoch: number, offset: number): string | undefined {
  const i = ZONES[zone];
  if (i === undefined) return undefined;
  const entry = TABLES[i]![String(offset)];
  if (entry === undefined || typeof entry === 'string') return entry;
  let name = entry[0]![1];
  for (const [from, abbr] of entry) if (from <= epoch) name = abbr;
  return name;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number, w = 2, c = '0'): string => String(Math.abs(n)).padStart(w, c);

function partsFromUtcMillis(ms: number, offsetSeconds: number, nano = 0): Parts {
  const d = new Date(ms + offsetSeconds * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nano,
    offset: offsetSeconds,
    weekday: d.getUTCDay(),
    epoch: Math.floor(ms / 1000),
  };
}

function offsetText(offset: number, colon: boolean): string {
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  return `${sign}${pad(Math.floor(a / 3600))}${colon ? ':' : ''}${pad(Math.floor((a % 3600) / 60))}`;
}

function dayOfYear(p: Parts): number {
  return Math.floor((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86400000) + 1;
}

/** ISO 8601 week-numbering year and week (chrono's %G and %V). */
function isoWeek(p: Parts): [number, number] {
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day));
  const weekday = (p.weekday + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - weekday + 3); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / 86400000 / 7);
  return [year, week];
}

export function strftime(p: Parts, format: string): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    let spec = format[++i];
    let padMode: '' | '-' | '_' | '0' = '';
    if (spec === '-' || spec === '_' || spec === '0') {
      padMode = spec;
      spec = format[++i];
    }
    const num = (n: number, w: number): string => (padMode === '-' ? String(n) : padMode === '_' ? pad(n, w, ' ') : pad(n, w));
    switch (spec) {
      case 'Y':
        out += p.year >= 0 && p.year <= 9999 ? pad(p.year, 4) : String(p.year);
        break;
      case 'C':
        out += num(Math.floor(p.year / 100), 2);
        break;
      case 'y':
        out += num(((p.year % 100) + 100) % 100, 2);
        break;
      case 'm':
        out += num(p.month, 2);
        break;
      case 'b':
      case 'h':
        out += MONTHS[p.month - 1]!.slice(0, 3);
        break;
      case 'B':
        out += MONTHS[p.month - 1]!;
        break;
      case 'd':
        out += num(p.day, 2);
        break;
      case 'e':
        out += padMode === '' ? pad(p.day, 2, ' ') : num(p.day, 2);
        break;
      case 'a':
        out += DAYS[p.weekday]!.slice(0, 3);
        break;
      case 'A':
        out += DAYS[p.weekday]!;
        break;
      case 'w':
        out += String(p.weekday);
        break;
      case 'u':
        out += String(p.weekday === 0 ? 7 : p.weekday);
        break;
      case 'j':
        out += num(dayOfYear(p), 3);
        break;
      case 'H':
        out += num(p.hour, 2);
        break;
      case 'k':
        out += padMode === '' ? pad(p.hour, 2, ' ') : num(p.hour, 2);
        break;
      case 'I':
        out += num(p.hour % 12 === 0 ? 12 : p.hour % 12, 2);
        break;
      case 'l':
        out += padMode === '' ? pad(p.hour % 12 === 0 ? 12 : p.hour % 12, 2, ' ') : num(p.hour % 12 === 0 ? 12 : p.hour % 12, 2);
        break;
      case 'P':
        out += p.hour < 12 ? 'am' : 'pm';
        break;
      case 'p':
        out += p.hour < 12 ? 'AM' : 'PM';
        break;
      case 'M':
        out += num(p.minute, 2);
        break;
      case 'S':
        out += num(p.second, 2);
        break;
      case 'f':
        out += pad(p.nano, 9);
        break;
      case '3':
      case '6':
      case '9':
        if (format[i + 1] !== 'f') throw new RenderError(`invalid date format "${format}"`);
        i++;
        out += pad(p.nano, 9).slice(0, Number(spec));
        break;
      case 'U': // chrono 0.4.39 (Tera 1.20.1's): weeks_from(Sun) = (ordinal - days since Sunday + 6) / 7
        out += num(Math.floor((dayOfYear(p) - p.weekday + 6) / 7), 2);
        break;
      case 'W':
        out += num(Math.floor((dayOfYear(p) - ((p.weekday + 6) % 7) + 6) / 7), 2);
        break;
      case 'G':
        out += String(isoWeek(p)[0]);
        break;
      case 'g':
        out += num(((isoWeek(p)[0] % 100) + 100) % 100, 2);
        break;
      case 'V':
        out += num(isoWeek(p)[1], 2);
        break;
      case 'v':
        out += `${pad(p.day, 2, ' ')}-${MONTHS[p.month - 1]!.slice(0, 3)}-${pad(p.year, 4)}`;
        break;
      case 'r':
        out += `${pad(p.hour % 12 === 0 ? 12 : p.hour % 12)}:${pad(p.minute)}:${pad(p.second)} ${p.hour < 12 ? 'AM' : 'PM'}`;
        break;
      case '.': {
        const n = format[i + 1];
        if (n === '3' || n === '6' || n === '9') {
          i += 2;
          out += `.${pad(p.nano, 9).slice(0, Number(n))}`;
        } else if (n === 'f') {
          i += 1;
          out += p.nano === 0 ? '' : `.${pad(p.nano, 9).replace(/0+$/, '').padEnd(p.nano % 1000000 === 0 ? 3 : p.nano % 1000 === 0 ? 6 : 9, '0')}`;
        } else throw new RenderError(`invalid date format "${format}"`);
        break;
      }
      case 's':
        out += String(p.epoch);
        break;
      case 'z':
        out += offsetText(p.offset, false);
        break;
      case ':':
        if (format[i + 1] === 'z') {
          i++;
          out += offsetText(p.offset, true);
        } else throw new RenderError(`invalid date format "${format}"`);
        break;
      case 'Z':
        out += p.abbreviation ?? (p.offset === 0 ? 'UTC' : offsetText(p.offset, true));
        break;
      case 'F':
        out += `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
        break;
      case 'D':
      case 'x':
        out += `${pad(p.month)}/${pad(p.day)}/${pad(((p.year % 100) + 100) % 100)}`;
        break;
      case 'T':
      case 'X':
        out += `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
        break;
      case 'R':
        out += `${pad(p.hour)}:${pad(p.minute)}`;
        break;
      case 'c':
        out += `${DAYS[p.weekday]!.slice(0, 3)} ${MONTHS[p.month - 1]!.slice(0, 3)} ${pad(p.day, 2, ' ')} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)} ${p.year}`;
        break;
      case '+':
        out += `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${offsetText(p.offset, true)}`;
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case '%':
        out += '%';
        break;
      default:
        throw new RenderError(`invalid date format "${format}"`);
    }
  }
  return out;
}

/** Offset (seconds) of an IANA time zone at an instant, via Intl. */
function zoneOffset(zone: string, ms: number): number {
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new RenderError(`error parsing "${zone}" as a timezone`);
  }
  const get = (t: string): number => Number(f.formatToParts(new Date(ms)).find((x) => x.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 1000);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$/;
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;

export function formatDate(value: unknown, args: Record<string, unknown>): string {
  const format = Object.hasOwn(args, 'format') ? asString('filter `date`', 'format', args.format) : '%Y-%m-%d';
  const zone = Object.hasOwn(args, 'timezone') ? asString('filter `date`', 'timezone', args.timezone) : undefined;
  let ms: number;
  let offset = 0;
  let nano = 0;
  // Tera applies `timezone` to timestamps and offset-carrying datetimes only; dates and naive datetimes stay UTC.
  let zoneApplies = true;
  if (value instanceof F64) throw new RenderError(`filter \`date\` was invoked on a float: ${value.value}.0`);
  if (typeof value === 'number') {
    // beyond 2^53 JSON numbers are floats for serde_json too (and chrono could not place them anyway)
    if (!Number.isSafeInteger(value)) throw new RenderError(`filter \`date\` was invoked on a float: ${value}`);
    ms = value * 1000;
  } else if (typeof value === 'string') {
    if (value.includes('T')) {
      const m = RFC3339.exec(value) ?? NAIVE.exec(value);
      if (m === null) throw new RenderError(`error parsing "${value}" as an RFC 3339 date or a naive datetime`);
      const [, y, mo, d, h, mi, s, frac, off] = m;
      if (off === undefined) zoneApplies = false;
      nano = frac ? Number((frac.slice(1) + '000000000').slice(0, 9)) : 0;
      if (off !== undefined && off !== 'Z' && off !== 'z') offset = (off.startsWith('-') ? -1 : 1) * (Number(off.slice(1, 3)) * 3600 + Number(off.slice(4, 6)) * 60);
      ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 1000;
    } else {
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
      const date = m === null ? undefined : new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      if (m === null || date === undefined || date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) {
        throw new RenderError(`error parsing "${value}" as a YYYY-MM-DD date`);
      }
      ms = date.getTime();
      zoneApplies = false;
    }
  } else {
    throw new RenderError('filter `date` received an incorrect type for arg `value`: expected a timestamp or a date string');
  }
  let abbreviation: string | undefined;
  if (zone !== undefined) {
    const zoneOff = zoneOffset(zone, ms);
    if (zoneApplies) {
      offset = zoneOff;
      abbreviation = zoneAbbreviation(zone, Math.floor(ms / 1000), zoneOff);
    }
  }
  return strftime({ ...partsFromUtcMillis(ms, offset, nano), abbreviation }, format);
}
