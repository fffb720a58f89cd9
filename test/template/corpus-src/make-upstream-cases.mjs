// Writes the Tera-upstream corpus (test/template/tera-upstream/cases/) from Tera 1.20.1's own test material:
// records.jsonl (what its unit tests render and call, recorded by tera-dump/tera-dump.sh) and the templates of its
// tests/render_fails.rs. Expectations come from the oracle: run `npm run corpus:oracle` afterwards.
//   renders     a template set and context a test rendered; one template: cases/NAME.tera, more: cases/NAME/case.tera
//               with every template of the set in cases/NAME/_partials/ (the oracle's template directory)
//   parses      a template a parser test parsed (not rendered by any test), rendered with an empty context
//   filters     a direct call of a builtin filter in a unit test: {{ v | NAME(k=args.k) }}
//   testers     {% if v is NAME(params.0) %}true{% else %}false{% endif %}, v left undefined when the test passed None
//   functions   {{ NAME(k=args.k) }} (range and throw only: now, get_random and get_env depend on the clock/env)
// Sets that use filters, testers or functions registered from Rust (not built in) are skipped and counted.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'lossless-json';

const base = join(dirname(fileURLToPath(import.meta.url)), '..', 'tera-upstream');
const out = join(base, 'cases');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// lossless-json keeps every number's text, so 1.0 stays a float and big integers stay exact.
const records = readFileSync(join(base, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => parse(l));
const json = (v) => `${stringify(v, null, 2)}\n`;
const seen = new Set();
const counters = new Map();
const skipped = { custom: 0, nondeterministic: 0, duplicate: 0 };
const written = { renders: 0, parses: 0, filters: 0, testers: 0, functions: 0, 'render-failures': 0 };

/** `renderer::tests::basic::render_variable_block_ident` -> `renderer-basic-render_variable_block_ident-3`. */
function caseName(test, kind) {
  const stem = `${kind}-${test.replace(/\b(tests|builtins)::/g, '').replace(/::/g, '-')}`;
  const n = (counters.get(stem) ?? 0) + 1;
  counters.set(stem, n);
  return `${stem}-${n}`;
}
function once(key) {
  const h = createHash('sha256').update(key).digest('hex');
  if (seen.has(h)) {
    skipped.duplicate++;
    return false;
  }
  seen.add(h);
  return true;
}
function writeSingle(name, source, context) {
  writeFileSync(join(out, `${name}.tera`), source);
  writeFileSync(join(out, `${name}.json`), json(context));
}
function writeSet(name, main, templates, context) {
  const dir = join(out, name);
  for (const [file, source] of Object.entries(templates)) {
    mkdirSync(dirname(join(dir, '_partials', file)), { recursive: true });
    writeFileSync(join(dir, '_partials', file), source);
  }
  writeFileSync(join(dir, 'case.tera'), templates[main]);
  writeFileSync(join(dir, 'case.json'), json(context));
}
const uses = (sources, custom) =>
  custom.filters.some((n) => sources.some((s) => new RegExp(`\\|\\s*${n}\\b`).test(s))) ||
  custom.functions.some((n) => sources.some((s) => new RegExp(`\\b${n}\\s*\\(`).test(s))) ||
  custom.testers.some((n) => sources.some((s) => new RegExp(`\\bis\\s+(not\\s+)?${n}\\b`).test(s)));
const argList = (keys, ref) => keys.map((k) => `${k}=${ref}.${k}`).join(', ');

const rendered = new Set();
for (const r of records) if (r.kind === 'render') for (const s of Object.values(r.templates)) rendered.add(s);

for (const r of records) {
  if (r.kind === 'render') {
    const sources = Object.values(r.templates);
    if (uses(sources, r.custom)) {
      skipped.custom++;
      continue;
    }
    if (!once(stringify([r.main, r.templates, r.context]))) continue;
    const name = caseName(r.test, 'render');
    if (sources.length === 1) writeSingle(name, r.templates[r.main], r.context);
    else writeSet(name, r.main, r.templates, r.context);
    written.renders++;
  } else if (r.kind === 'parse') {
    if (rendered.has(r.source) || !once(stringify(['parse', r.source]))) continue;
    writeSingle(caseName(r.test, 'parse'), r.source, {});
    written.parses++;
  } else if (r.kind === 'parse_fail') {
    // Link errors (missing parent, macro file): one template tried, the rest of the set as partials.
    if (r.attempted.length !== 1) continue;
    const main = r.attempted[0];
    if (!once(stringify(['link', r.templates]))) continue;
    const name = caseName(r.test, 'render');
    const others = Object.fromEntries(Object.entries(r.templates).filter(([k]) => k !== main));
    if (Object.keys(others).length === 0) writeSingle(name, r.templates[main], {});
    else writeSet(name, main, { ...others, [main]: r.templates[main] }, {});
    written.renders++;
  } else if (r.kind === 'filter') {
    const args = r.args ?? {};
    const call = Object.keys(args).length === 0 ? r.name : `${r.name}(${argList(Object.keys(args), 'args')})`;
    if (!once(stringify(['filter', r.name, r.value, args]))) continue;
    writeSingle(caseName(r.test, 'filter'), `{{ v | ${call} }}`, { v: r.value, args });
    written.filters++;
  } else if (r.kind === 'tester') {
    const params = r.params ?? [];
    const call = params.length === 0 ? r.name : `${r.name}(${params.map((_, i) => `params.${i}`).join(', ')})`;
    if (!once(stringify(['tester', r.name, r.defined, r.value, params]))) continue;
    const context = r.defined ? { v: r.value, params } : { params };
    writeSingle(caseName(r.test, 'tester'), `{% if v is ${call} %}true{% else %}false{% endif %}`, context);
    written.testers++;
  } else if (r.kind === 'function') {
    if (!['range', 'throw'].includes(r.name)) {
      skipped.nondeterministic++;
      continue;
    }
    const args = r.args ?? {};
    if (!once(stringify(['function', r.name, args]))) continue;
    writeSingle(caseName(r.test, 'function'), `{{ ${r.name}(${argList(Object.keys(args), 'args')}) }}`, { args });
    written.functions++;
  }
}

// tests/render_fails.rs: Tera::new("tests/render-failures/**/*") with one context, each named template rendered.
const failures = join(base, 'render-failures');
const review = { title: 'My review', paragraphs: ['A', 'B', 'C'] };
const failContext = {
  product: { name: 'Moto G', manufacturer: 'Motorala', price: 100, summary: 'A phone' },
  username: 'bob',
  friend_reviewed: true,
  number_reviews: 2,
  show_more: true,
  reviews: [review, review],
};
const failTemplates = {};
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory()) walk(join(d, e.name));
    else failTemplates[relative(failures, join(d, e.name))] = readFileSync(join(d, e.name), 'utf8');
  }
};
walk(failures);
for (const main of ['field_unknown.html', 'field_unknown_forloop.html', 'non_math_operation.html', 'filter_section_invalid.html', 'iterate_on_non_array.html',
  'macro_wrong_args.html', 'macro_self_inexisting.html', 'error-location/error_in_child.html', 'error-location/error_in_grand_child.html',
  'error-location/error_in_parent.html', 'error-location/error_in_macro.html', 'value_render_non_object.html', 'inexisting_include.html']) {
  writeSet(`render_fails-${main.replace(/\//g, '-').replace(/\.html$/, '')}`, main, failTemplates, failContext);
  written['render-failures']++;
}

console.log(`tera-upstream: ${JSON.stringify(written)}; skipped ${JSON.stringify(skipped)}`);
