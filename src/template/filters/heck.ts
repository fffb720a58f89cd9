// A port of the heck 0.4.0 crate's word splitting (without its `unicode` feature, as Debian builds it).

type Mode = 'boundary' | 'lower' | 'upper';
const isLower = (c: string): boolean => c >= 'a' && c <= 'z';
const isUpper = (c: string): boolean => c >= 'A' && c <= 'Z';

function transform(s: string, withWord: (w: string) => string, boundary: string): string {
  let out = '';
  let firstWord = true;
  for (const word of s.split(/[^A-Za-z0-9]/)) {
    let init = 0;
    let mode: Mode = 'boundary';
    for (let i = 0; i < word.length; i++) {
      const c = word[i]!;
      if (i + 1 < word.length) {
        const next = word[i + 1]!;
        const nextMode: Mode = isLower(c) ? 'lower' : isUpper(c) ? 'upper' : mode;
        if (nextMode === 'lower' && isUpper(next)) {
          if (!firstWord) out += boundary;
          out += withWord(word.slice(init, i + 1));
          firstWord = false;
          init = i + 1;
          mode = 'boundary';
        } else if (mode === 'upper' && isUpper(c) && isLower(next)) {
          if (!firstWord) out += boundary;
          else firstWord = false;
          out += withWord(word.slice(init, i));
          init = i;
          mode = 'boundary';
        } else mode = nextMode;
      } else {
        if (!firstWord) out += boundary;
        else firstWord = false;
        out += withWord(word.slice(init));
        break;
      }
    }
  }
  return out;
}

const upper = (w: string): string => w.toUpperCase();
const capitalize = (w: string): string => (w === '' ? '' : w[0]!.toUpperCase() + w.slice(1).toLowerCase());

export const toShoutySnakeCase = (s: string): string => transform(s, upper, '_');
export const toShoutyKebabCase = (s: string): string => transform(s, upper, '-');
export const toHeckTitleCase = (s: string): string => transform(s, capitalize, ' ');
