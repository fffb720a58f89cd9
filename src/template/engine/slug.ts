// The slug 0.1.4 crate's slugify (Tera's `slugify`): ASCII transliteration, lowercase, runs of others become one `-`.
import { DEUNICODE_RANGES } from './deunicode-table.js';

function deunicodeChar(cp: number): string | undefined {
  for (const [lo, table] of DEUNICODE_RANGES) {
    if (cp >= lo && cp < lo + table.length) return table[cp - lo];
  }
  // Outside the generated ranges: strip accents by decomposition, else treat as a separator.
  const plain = String.fromCodePoint(cp).normalize('NFKD').replace(/[^\x20-\x7e]/g, '');
  return plain === '' ? undefined : plain;
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
