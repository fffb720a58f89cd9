// The slug 0.1.4 crate's slugify (Tera's `slugify`): deunicode transliteration, lowercase, runs of others become one `-`.
import { inflateSync } from 'node:zlib';
import { DEUNICODE_DEFLATED, DEUNICODE_FIRST } from './deunicode-table.js';

let table: string[] | undefined;

export function deunicodeChar(cp: number): string | undefined {
  table ??= inflateSync(Buffer.from(DEUNICODE_DEFLATED, 'base64')).toString('utf8').split('\u0001');
  // Past the end of deunicode's table slug uses "-".
  return cp - DEUNICODE_FIRST < table.length ? table[cp - DEUNICODE_FIRST] : undefined;
}

export function slugify(s: string): string {
  let out = '';
  let prevIsDash = true;
  const push = (c: string): void => {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      prevIsDash = false;
      out += c;
    } else if (c >= 'A' && c <= 'Z') {
      prevIsDash = false;
      out += c.toLowerCase();
    } else if (!prevIsDash) {
      out += '-';
      prevIsDash = true;
    }
  };
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) push(ch);
    else for (const c of deunicodeChar(cp) ?? '-') push(c);
  }
  return out.endsWith('-') ? out.slice(0, -1) : out;
}
