// Differential fuzzing against the real Tera (not part of the test suite): random templates and random words through
// ggen (dist/) and tera-oracle, reporting any difference. Usage: node test/template/corpus-src/differential-fuzz.mjs [seed] [count]
// Needs npm run build and the oracle (npm run corpus:oracle builds it; TERA_ORACLE_BIN overrides its path).
import { writeFileSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTemplateEngine, renderTemplateString } from '../../../dist/index.mjs';
const oracle = process.env.TERA_ORACLE_BIN ?? '/tmp/tera-oracle-120-partials-target/release/tera-oracle';
const dir = mkdtempSync(join(tmpdir(), 'ggen-tera-fuzz-'));
mkdirSync(join(dir, 'words'));
let st = Number(process.argv[2] ?? 5);
const nx = () => { st = (Math.imul(st, 1103515245) + 12345) >>> 0; return st >>> 8; };
const pick = (a) => a[nx() % a.length];
const w = () => (nx() % 3 === 0 ? '-' : '');
const texts = ['a', ' ', '\n', '  \n  ', 'x y', '\t', '\r\n', '}', '{ ', '%'];
const exprs = ['n', 'name | upper', 'x', 'loop.index', 'arr | length', 'n + 1', 'not t', '"s" ~ n', 'missing | default(value=1)', 'x * 2', 'loop.last', 'obj.a', 'arr', 'g', 'f / 2', 'name | snake ~ "_" ~ n', '[x, n]', 'x is odd', 'k', 'v'];
const conds = ['t', 'fl', 'x > 1', 'missing', 'not missing', 'loop.first', 'n == 42', 'x in arr', 'name is defined and t', 'arr | length > 2'];
function gen(depth) {
  let out = '';
  const n = 1 + nx() % 4;
  for (let i = 0; i < n; i++) {
    const r = nx() % 12;
    if (r < 3 || depth > 3) out += pick(texts);
    else if (r === 10) out += `{%${w()} include "${pick(['header.tera', 'item.tera', 'uses-context.tera', 'sets-var.tera', 'sub/inner.tera', 'nope.tera'])}"${nx() % 3 === 0 ? ' ignore missing' : ''} ${w()}%}`;
    else if (r === 11) out += `{{${w()} m::${pick(['greet(who=x)', 'greet()', 'countdown(n=2)', 'wrap(text=name)', 'sees_context()', 'field(f=obj)', 'tree(node=obj)'])} ${w()}}}`;
    else if (r < 5) out += `{{${w()} ${pick(exprs)} ${w()}}}`;
    else if (r === 5) out += `{%${w()} if ${pick(conds)} ${w()}%}${gen(depth + 1)}${nx() % 2 ? `{%${w()} else ${w()}%}${gen(depth + 1)}` : ''}{%${w()} endif ${w()}%}`;
    else if (r === 6) out += nx() % 3 === 0 ? `{%${w()} for k, v in obj ${w()}%}${gen(depth + 1)}{%${w()} endfor ${w()}%}` : `{%${w()} for x in arr ${w()}%}${gen(depth + 1)}${nx() % 4 === 0 ? `{%${w()} else ${w()}%}${gen(depth + 1)}` : ''}{%${w()} endfor ${w()}%}`;
    else if (r === 7) out += `{%${w()} ${nx() % 2 ? 'set' : 'set_global'} g = ${pick(exprs)} ${w()}%}`;
    else if (r === 8) out += `{#${w()} c ${w()}#}`;
    else out += nx() % 2 ? `{%${w()} raw ${w()}%} {{ r }} ${'\n'}{%${w()} endraw ${w()}%}` : `{%${w()} filter upper ${w()}%}${gen(depth + 1)}{%${w()} endfilter ${w()}%}`;
  }
  return out;
}
const ctx = { n: 42, name: 'WorldWide', t: true, fl: false, arr: [3, 1, 2], obj: { b: 2, a: 1, name: 'nm', age: 3, label: 'L' }, f: 3.5, local: 'loc' };
const N = Number(process.argv[3] ?? 400);
// The corpus partials serve include/import/extends for both engines (the oracle loads DIR/_partials).
cpSync(fileURLToPath(new URL('../corpus/_partials', import.meta.url)), join(dir, '_partials'), { recursive: true });
const topLevel = () => {
  const r = nx() % 4;
  if (r === 0) return `{% extends "base.tera" %}{% import "macros.tera" as m %}{% block content %}${gen(1)}${nx() % 2 ? '{{ super() }}' : ''}{% endblock content %}`;
  if (r === 1) return gen(0);
  return `{% import "macros.tera" as m %}${gen(0)}`;
};
for (let i = 0; i < N; i++) { writeFileSync(`${dir}/c${i}.tera`, topLevel()); writeFileSync(`${dir}/c${i}.json`, JSON.stringify(ctx)); }
execFileSync(oracle, ['batch', dir]);
const engine = createTemplateEngine({ templatesDir: join(dir, '_partials') });
let bad = 0, rendered = 0, refused = 0;
for (let i = 0; i < N; i++) {
  const src = readFileSync(`${dir}/c${i}.tera`, 'utf8');
  let got, err; try { got = engine.compile(src, 'c').render(ctx); } catch (e) { err = e; }
  if (existsSync(`${dir}/c${i}.expected`)) {
    rendered++;
    const exp = readFileSync(`${dir}/c${i}.expected`, 'utf8');
    if (got !== exp) { bad++; if (bad < 6) console.log('MISMATCH', JSON.stringify(src), '\n tera', JSON.stringify(exp), '\n ggen', err ? 'ERR ' + err.message : JSON.stringify(got)); }
  } else {
    refused++;
    if (!err) { bad++; if (bad < 6) console.log('SHOULD FAIL', JSON.stringify(src), readFileSync(`${dir}/c${i}.error`, 'utf8').slice(0, 300), '\n ggen', JSON.stringify(got)); }
  }
}
console.log({ rendered, refused, bad });

// Random words through every case filter (and a few Tera string filters).
const frags = ['user', 'User', 'HTTP', 'Id', 'ID', '2', '10', '_', '-', ' ', '.', '::', 'é', 'É', 'ß', 'x', 'Api', 'API', 'v', 's', 'es', 'ies', 'ox', 'man', 'child', 'Status', 'quiz', 'ñ', 'Ω', 'σ', 'Σ', '__', '@', 'xml', 'a1', 'B2b', 'th', 'st', '1st', 'matrix', 'person', 'data', 'octopus', 'wife', 'leaf', 'İ', 'ı', '٣', 'Ⅻ', '½', '😀', 'news', 'bus', 'axis', 'alias', 'index', 'movie', 'series', 'mouse', 'goose'];
const word = () => {
  let w = '';
  for (let i = 0, n = 1 + (nx() % 4); i < n; i++) w += pick(frags);
  return w;
};
const wordFilters = ['camel', 'pascal', 'class', 'snake', 'kebab', 'title', 'sentence', 'train', 'pluralize', 'singularize', 'deconstantize', 'demodulize', 'ordinalize', 'deordinalize', 'foreign_key', 'shouty_snake', 'shouty_kebab', 'titlecase', 'upper', 'lower', 'lcfirst', 'ucfirst', 'slugify', 'capitalize', 'truncate(length=3)', 'wordcount', 'length', 'reverse'];
const words = Array.from({ length: N }, word);
const wdir = join(dir, 'words');
wordFilters.forEach((f, i) => {
  writeFileSync(`${wdir}/f${i}.tera`, `{% for w in words %}{{ w | ${f} }}\n{% endfor %}`);
  writeFileSync(`${wdir}/f${i}.json`, JSON.stringify({ words }));
});
execFileSync(oracle, ['batch', wdir]);
let wordMismatches = 0;
wordFilters.forEach((f, i) => {
  const exp = readFileSync(`${wdir}/f${i}.expected`, 'utf8').split('\n');
  const got = renderTemplateString(readFileSync(`${wdir}/f${i}.tera`, 'utf8'), { words }).split('\n');
  exp.forEach((e, k) => {
    if (e !== got[k] && wordMismatches++ < 10) console.log('WORD', f, JSON.stringify(words[k]), 'tera', JSON.stringify(e), 'ggen', JSON.stringify(got[k]));
  });
});
console.log({ wordFilters: wordFilters.length, words: N, wordMismatches });

// Random JSON values through printing, truthiness, tests, math and the filters that take any value.
const scalars = [0, 1, -1, 42, 1.5, -0.25, 1e-7, 123456789012, 0.1 + 0.2, 1/3, '', 'a', 'B', 'héllo', '😀x', 'a,b', ' sp ', 'Zeta', 'alpha', true, false, null];
function val(d) {
  const r = nx() % 10;
  if (d > 2 || r < 5) return pick(scalars);
  if (r < 8) return Array.from({ length: nx() % 4 }, () => val(d + 1));
  const o = {}; for (let i = 0, n = nx() % 4; i < n; i++) o[pick(['a', 'b', 'Z', 'é', '10', '2', 'k k'])] = val(d + 1); return o;
}
const tpls = ['{{ v }}', '{{ v | json_encode }}', '{{ v | json_encode(pretty=true) }}', '{{ v | as_str }}', '{{ v | length }}', '{{ v | first }}', '{{ v | last }}', '{{ v | reverse }}', '{{ v | sort }}', '{{ v | unique }}', '{{ v | join(sep=",") }}', '{{ v | concat(with=[1]) }}', '{% if v %}T{% else %}F{% endif %}', '{{ v | upper }}', '{{ v | snake }}', '{% for x in v %}{{ x }};{% endfor %}', '{% for k, x in v %}{{ k }}={{ x }};{% endfor %}', '{{ v is number }}{{ v is string }}{{ v is iterable }}{{ v is object }}', '{{ v | int }}', '{{ v | float }}', '{{ v | round }}', '{{ v | round(precision=2) }}', '{{ v | filesizeformat }}', '{{ v == v }}', '{{ v ~ "" }}', '{{ v + 1 }}', '{{ v * 2 }}', '{{ v / 3 }}', '{{ v % 2 }}', '{{ 1 in v }}', '{{ v | slice(start=1) }}', '{{ v | nth(n=1) }}', '{{ v | trim }}', '{{ v | wordcount }}', '{{ v | truncate(length=1) }}', '{{ v | get(key="a", default="d") }}', '{{ v | default(value="D") }}', '{{ v | date }}', '{{ v | urlencode }}', '{{ v | slugify }}', '{{ v | capitalize }}', '{{ v | title }}', '{{ v | escape }}'];
const vdir = join(dir, 'values');
mkdirSync(vdir);
const valueCases = [];
for (let i = 0; i < N; i++) {
  const v = val(0);
  const t = pick(tpls);
  writeFileSync(`${vdir}/c${i}.tera`, t);
  writeFileSync(`${vdir}/c${i}.json`, JSON.stringify({ v }));
  valueCases.push([t, v]);
}
execFileSync(oracle, ['batch', vdir]);
let valueMismatches = 0;
valueCases.forEach(([t, v], i) => {
  let got;
  let err;
  try {
    got = renderTemplateString(t, { v });
  } catch (e) {
    err = e;
  }
  const expFile = `${vdir}/c${i}.expected`;
  const ok = existsSync(expFile) ? got === readFileSync(expFile, 'utf8') : err !== undefined;
  if (!ok && valueMismatches++ < 10) console.log('VALUE', t, JSON.stringify(v), existsSync(expFile) ? JSON.stringify(readFileSync(expFile, 'utf8')) : 'tera refuses', 'ggen', err ? `ERR ${err.message}` : JSON.stringify(got));
});
console.log({ values: N, valueMismatches });
rmSync(dir, { recursive: true, force: true });
process.exitCode = bad + wordMismatches + valueMismatches === 0 ? 0 : 1;
