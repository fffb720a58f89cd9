// Rust `regex` crate syntax (what Tera's `matching` test and ggen 1.x patterns use) translated to a JavaScript RegExp.
//
// Accepted, with Rust's meaning:
//   inline flags `(?i)` `(?m)` `(?s)` `(?x)` `(?U)` and their groups `(?i:…)`; a flag set anywhere applies to the
//     whole pattern (JavaScript has no scoped flags before ES2025), `(?-…)` clears it (not for U)
//   `\A` and `\z` (start and end of the text, whatever the flags), `(?P<name>…)` named groups
//   Unicode classes: `\d` (\p{Nd}), `\w` and `\b` (Unicode word characters), `\pL`/`\p{Greek}`, `\x{1F600}`,
//     ASCII classes `[[:alpha:]]`, verbose mode (`(?x)`: whitespace and `#` comments ignored)
// Refused like Rust refuses them: look-around, back-references, and (not supported here) class set operations
// `&&` `--` `~~`. Inside a character class `\W`, `\D` and `\S` stay JavaScript's (ASCII) meaning.
export class RustRegexError extends Error {}

const WORD = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}`;
const ASCII_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: String.raw`\x00-\x7F`,
  blank: String.raw`\t `,
  cntrl: String.raw`\x00-\x1F\x7F`,
  digit: '0-9',
  graph: String.raw`!-~`,
  lower: 'a-z',
  print: String.raw` -~`,
  punct: String.raw`!-\/:-@\[-\`{-~`,
  space: String.raw`\t\n\v\f\r `,
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export interface TranslatedRegex {
  source: string;
  flags: string;
}

/** Translates a Rust regex pattern; throws RustRegexError for what Rust refuses or this translation cannot express. */
export function translateRustRegex(pattern: string): TranslatedRegex {
  const flags = new Set<string>();
  // Verbose mode changes how the rest is read, so find it first; likewise swap-greed (?U).
  if (/\(\?[imsxuU]*x[imsxuU]*[:)]/.test(pattern)) pattern = stripVerbose(pattern);
  const swapGreed = /\(\?[imsxu]*U[imsxu]*[:)]/.test(pattern);
  let out = '';
  let inClass = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const [text, used] = escape(pattern, i, inClass > 0);
      out += text;
      i += used - 1;
      continue;
    }
    if (inClass > 0) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        const name = end === -1 ? '' : pattern.slice(i + 2, end);
        const negated = name.startsWith('^');
        const cls = ASCII_CLASSES[negated ? name.slice(1) : name];
        if (cls === undefined) throw new RustRegexError(`unknown ASCII class "[:${name}:]"`);
        if (negated) throw new RustRegexError(`negated ASCII class "[:${name}:]" is not supported`);
        out += cls;
        i = end + 1;
        continue;
      }
      if (c === '[') throw new RustRegexError('nested character classes are not supported');
      if ((c === '&' || c === '-' || c === '~') && pattern[i + 1] === c && c !== '-') throw new RustRegexError(`class set operation "${c}${c}" is not supported`);
      if (c === ']') inClass--;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass++;
      out += c;
      // A `]` right after `[` or `[^` is a literal in Rust.
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      // regex 1.7 (Tera 1.20.1's) knows only the (?P<name>…) spelling.
      const named = /^P<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named !== null) {
        out += `(?<${named[1]}>`;
        i += 1 + named[0].length;
        continue;
      }
      const flagGroup = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
      if (flagGroup !== null) {
        const [all, on = '', off = '', close] = flagGroup;
        if (off.includes('U')) throw new RustRegexError('clearing the swap-greed flag (?-U) is not supported');
        for (const f of on + off) {
          if (f === 'u' || f === 'U') continue; // Unicode is always on; U is handled below
          if (!'imsx'.includes(f)) throw new RustRegexError(`unknown flag "${f}"`);
        }
        for (const f of on) if ('ims'.includes(f)) flags.add(f);
        for (const f of off) flags.delete(f);
        out += close === ':' ? '(?:' : '';
        i += 1 + all.length;
        continue;
      }
      if (/^(?:=|!|<=|<!)/.test(rest)) throw new RustRegexError('look-around is not supported');
      if (rest.startsWith(':')) {
        out += '(?:';
        i += 2;
        continue;
      }
      throw new RustRegexError(`unsupported group "(?${rest.slice(0, 3)}"`);
    }
    if (swapGreed && (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i))))) {
      // (?U): a bare quantifier is lazy and a `?`-suffixed one greedy.
      const end = c === '{' ? pattern.indexOf('}', i) : i;
      out += pattern.slice(i, end + 1);
      i = end;
      if (pattern[i + 1] === '?') i++;
      else out += '?';
      continue;
    }
    out += c;
  }
  if (inClass > 0) throw new RustRegexError('unclosed character class');
  return { source: out, flags: [...flags].sort().join('') };
}

/** One escape at `i`: its JavaScript text and how many pattern characters it used. */
function escape(p: string, i: number, inClass: boolean): [string, number] {
  const e = p[i + 1];
  if (e === undefined) throw new RustRegexError('incomplete escape sequence');
  switch (e) {
    case 'A':
      if (inClass) break;
      return [String.raw`(?<![\s\S])`, 2];
    case 'z':
      if (inClass) break;
      return [String.raw`(?![\s\S])`, 2];
    case 'd':
      return [String.raw`\p{Nd}`, 2];
    case 'D':
      return [String.raw`\P{Nd}`, 2];
    case 'w':
      return [inClass ? WORD : `[${WORD}]`, 2];
    case 'W':
      return [inClass ? String.raw`\W` : `[^${WORD}]`, 2];
    case 'b':
      if (inClass) break;
      return [`(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`, 2];
    case 'B':
      if (inClass) break;
      return [`(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`, 2];
    case 'p':
    case 'P': {
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        if (end === -1) throw new RustRegexError('unclosed Unicode class');
        return [`\\${e}{${unicodeName(p.slice(i + 3, end))}}`, end - i + 1];
      }
      const one = p[i + 2];
      if (one === undefined) throw new RustRegexError('incomplete Unicode class');
      return [`\\${e}{${unicodeName(one)}}`, 3];
    }
    case 'x':
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        if (end === -1) throw new RustRegexError('unclosed hex escape');
        return [`\\u{${p.slice(i + 3, end)}}`, end - i + 1];
      }
      return [p.slice(i, i + 4), 4];
    case 'u':
    case 'U':
      // Rust: \u{…} / \uFFFF / \U0010FFFF.
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        return [`\\u{${p.slice(i + 3, end)}}`, end - i + 1];
      }
      return [`\\u{${p.slice(i + 2, i + (e === 'u' ? 6 : 10))}}`, e === 'u' ? 6 : 10];
    case 'a':
      return [String.raw`\x07`, 2];
    case '-':
      return [inClass ? '\\-' : '-', 2];
    default:
      if (e >= '1' && e <= '9') throw new RustRegexError('back-references are not supported');
      // Rust allows escaping any punctuation; JavaScript's u flag only the syntax characters.
      if (/[^\p{L}\p{N}\s]/u.test(e) && !/[\^$\\.*+?()[\]{}|/-]/.test(e)) return [e, 2];
  }
  return [p.slice(i, i + 2), 2];
}

/** Rust's Unicode class names (general categories, scripts, a few aliases) as JavaScript writes them. */
function unicodeName(name: string): string {
  const n = name.replace(/[\s_-]/g, '');
  const aliases: Record<string, string> = { letter: 'L', number: 'N', digit: 'Nd', greek: 'Script=Greek', latin: 'Script=Latin', han: 'Script=Han', cyrillic: 'Script=Cyrillic' };
  if (Object.hasOwn(aliases, n.toLowerCase())) return aliases[n.toLowerCase()]!;
  if (name.includes('=') || name.includes(':')) return name.replace(':', '=');
  return /^[A-Z][a-z]?$/.test(n) ? n : name;
}

/** Verbose mode: drops unescaped whitespace and `#…` comments outside character classes. */
function stripVerbose(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      out += p.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

/** A JavaScript RegExp for a Rust pattern (always with the u flag; `extraFlags` such as g are added). */
export function compileRustRegex(pattern: string, extraFlags = ''): RegExp {
  const { source, flags } = translateRustRegex(pattern);
  try {
    return new RegExp(source, [...new Set(`u${flags}${extraFlags}`)].join(''));
  } catch (e) {
    throw new RustRegexError((e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}
