// Writes the generated part of the golden corpus (test/template/corpus/gen-*.tera + .json).
// Expectations come from the real Tera: run `npm run corpus:oracle` afterwards.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const corpus = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');
mkdirSync(corpus, { recursive: true });
for (const f of readdirSync(corpus)) if (f.startsWith('gen-')) rmSync(join(corpus, f));

/** The context most cases share. */
const D = {
  name: 'World',
  n: 42,
  neg: -7,
  f: 3.14159,
  half: 2.5,
  zero: 0,
  t: true,
  fl: false,
  nul: null,
  empty_s: '',
  empty_a: [],
  empty_o: {},
  arr: [3, 1, 2],
  nested: [[1, 2], [3]],
  words: ['banana', 'Apple', 'cherry', 'apple'],
  objs: [
    { name: 'b', age: 30, tag: 'x', meta: { rank: 2 } },
    { name: 'a', age: 25, tag: 'y', meta: { rank: 1 } },
    { name: 'c', age: 35, tag: 'x', meta: { rank: 3 } },
    { name: 'd', age: 25, tag: null, meta: { rank: 4 } },
  ],
  obj: { b: 2, a: 1, c: { d: 'deep' }, 'key with space': 'spaced', '1': 'one' },
  uni: 'héllo wörld ñandú',
  emoji: 'a👍🏽b🇫🇷c',
  html: '<p class="x">Hi & \'bye\' / ok</p>',
  multi: 'line1\nline2\r\nline3',
  spaces: '  padded  \t',
  csv: 'a,b,,c',
  num_s: '  42  ',
  float_s: '3.75',
  hex_s: '0xff',
  date_s: '2024-03-05',
  dt_s: '2024-03-05T14:07:09+02:00',
  ts: 1709647629,
  big: 1234567,
  idx: 1,
  key: 'b',
  mixed: [1, 'a', true, null, [2], { k: 'v' }],
  bools: [true, false, true],
  floats: [1.5, 0.25, 10.75],
};

const cases = [];
const add = (name, tpl, ctx = D) => cases.push([name, tpl, ctx]);

// ---- value rendering and literals ----------------------------------------------------------------
const values = {
  string: '{{ name }}', int: '{{ n }}', negative: '{{ neg }}', float: '{{ f }}', half: '{{ half }}', zero: '{{ zero }}',
  true: '{{ t }}', false: '{{ fl }}', null: '[{{ nul }}]', 'empty-string': '[{{ empty_s }}]', 'empty-array': '{{ empty_a }}',
  'empty-object': '{{ empty_o }}', array: '{{ arr }}', 'nested-array': '{{ nested }}', object: '{{ obj }}', objects: '{{ objs }}',
  mixed: '{{ mixed }}', unicode: '{{ uni }}', emoji: '{{ emoji }}', html: '{{ html }}', multiline: '{{ multi }}',
  'lit-int': '{{ 7 }}', 'lit-neg': '{{ -3 }}', 'lit-float': '{{ 2.50 }}', 'lit-float-int': '{{ 4.0 }}', 'lit-true': '{{ true }}',
  'lit-True': '{{ True }}', 'lit-False': '{{ False }}', 'lit-dq': '{{ "double \'q\'" }}', 'lit-sq': "{{ 'single \"q\"' }}",
  'lit-bt': '{{ `back \'n\' "q"` }}', 'lit-backslash': '{{ "a\\nb\\\\c" }}', 'lit-array': '{{ [1, "two", true, 4.5] }}',
  'lit-array-nested': '{{ [[1, 2], [], ["x"]] }}', 'lit-array-trailing': '{{ [1, 2,] }}', 'lit-array-empty': '{{ [] }}',
  'index-dot': '{{ arr.0 }}-{{ arr.2 }}', 'index-bracket': '{{ arr[1] }}', 'index-var': '{{ arr[idx] }}', 'key-var': '{{ obj[key] }}',
  'key-string': '{{ obj["key with space"] }}', 'key-numeric': '{{ obj["1"] }}', 'deep': '{{ obj.c.d }}', 'objs-attr': '{{ objs.1.name }}-{{ objs[2].meta.rank }}',
  'nested-index': '{{ nested.0.1 }}', 'big-number': '{{ big }}', 'float-small': '{{ 0.000001 }}', 'float-sci': '{{ 0.1 + 0.2 }}',
};
for (const [k, v] of Object.entries(values)) add(`gen-value-${k}`, v);

// ---- math, comparison, logic -----------------------------------------------------------------------
const exprs = {
  'add': '{{ 1 + 2 }}', 'sub': '{{ 10 - 4 - 3 }}', 'mul': '{{ 3 * 4 }}', 'div-int': '{{ 10 / 2 }}', 'div-float': '{{ 7 / 2 }}',
  'div-zero': '{{ 1 / 0 }}', 'mod': '{{ 10 % 3 }}', 'mod-neg': '{{ -7 % 3 }}', 'precedence': '{{ 2 + 3 * 4 }}', 'precedence-2': '{{ 2 * 3 + 4 * 5 - 6 / 3 }}',
  'parens': '{{ (2 + 3) * 4 }}', 'vars': '{{ n + neg }}', 'float-math': '{{ f * 2 }}', 'half-math': '{{ half + half }}',
  'int-float-div': '{{ 9 / 3.0 }}', 'filter-in-math': '{{ arr | length + 1 }}', 'math-then-filter': '{{ 3 + 4 | round }}',
  'mul-float': '{{ 0.1 * 3 }}', 'sub-neg': '{{ 5 - -2 }}', 'mod-float': '{{ 5.5 % 2 }}',
  'eq': '{{ 1 == 1 }} {{ 1 == 2 }} {{ "a" == "a" }}', 'neq': '{{ 1 != 2 }} {{ "a" != "a" }}', 'eq-mixed': '{{ 1 == "1" }} {{ 1 != "1" }}',
  'eq-float-int': '{{ 2 == 2.0 }}', 'lt-gt': '{{ 1 < 2 }} {{ 2 > 3 }} {{ 2 <= 2 }} {{ 3 >= 4 }}', 'cmp-vars': '{{ n > neg }}',
  'eq-arrays': '{{ arr == [3, 1, 2] }}', 'eq-null': '{{ nul == nul }}', 'and-or': '{{ true and false }} {{ true or false }} {{ false or false }}',
  'not': '{{ not true }} {{ not false }} {{ not zero }} {{ not name }}', 'not-undefined': '{{ not nothing_here }}',
  'precedence-logic': '{{ true or false and false }}', 'logic-cmp': '{{ 1 < 2 and 3 > 2 }}', 'in-array': '{{ 1 in arr }} {{ 9 in arr }}',
  'in-string': '{{ "ell" in name }} {{ "z" in name }}', 'not-in': '{{ 9 not in arr }} {{ "orl" not in name }}', 'in-object': '{{ "a" in obj }} {{ "zz" in obj }}',
  'in-literal': '{{ "b" in ["a", "b"] }}', 'not-in-literal': '{{ not "b" in ["a", "b"] }}', 'concat': '{{ "a" ~ "b" ~ "c" }}',
  'concat-vars': '{{ name ~ "-" ~ n }}', 'concat-float': '{{ "v" ~ f }}', 'concat-lit-num': '{{ "x" ~ 2.50 ~ 3 }}', 'concat-filter': '{{ "ab" ~ name | upper }}',
  'concat-fn': '{{ "r" ~ range(end=3) | length }}', 'cmp-string-filter': '{{ name | lower == "world" }}', 'neg-float': '{{ -1.5 + 1 }}',
};
for (const [k, v] of Object.entries(exprs)) add(`gen-expr-${k}`, v);

// ---- truthiness ------------------------------------------------------------------------------------
for (const v of ['name', 'empty_s', 'n', 'zero', 'f', 't', 'fl', 'nul', 'arr', 'empty_a', 'obj', 'empty_o', 'missing', 'obj.a', 'obj.zz', 'missing.deep', '"x"', '""', '0', '1', '0.0', 'not missing', 'not name', 'missing | length', 'name | length']) {
  add(`gen-truthy-${v.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'empty'}`, `{% if ${v} %}T{% else %}F{% endif %}`);
}

// ---- tags ------------------------------------------------------------------------------------------
const tags = {
  'if-elif': '{% if n < 10 %}small{% elif n < 100 %}medium{% else %}large{% endif %}',
  'if-nested': '{% if t %}{% if fl %}a{% else %}b{% endif %}{% endif %}',
  'if-newlines': '{% if t %}\nyes\n{% endif %}\nend\n',
  'for-array': '{% for x in arr %}{{ x }},{% endfor %}',
  'for-loop-vars': '{% for x in words %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.first }}/{{ loop.last }} {% endfor %}',
  'for-object': '{% for k, v in obj %}{{ k }}={{ v }};{% endfor %}',
  'for-object-sorted': '{% for k, v in ctx %}{{ k }} {% endfor %}',
  'for-string': '{% for c in uni %}[{{ c }}]{% endfor %}',
  'for-else': '{% for x in empty_a %}{{ x }}{% else %}none{% endfor %}',
  'for-else-nonempty': '{% for x in arr %}{{ x }}{% else %}none{% endfor %}',
  'for-nested': '{% for row in nested %}{% for x in row %}{{ loop.index }}:{{ x }} {% endfor %}|{% endfor %}',
  'for-filtered': '{% for x in arr | sort %}{{ x }}{% endfor %}',
  'for-literal': '{% for x in [1, 2, 3] %}{{ x * 2 }}{% endfor %}',
  'for-range': '{% for i in range(start=1, end=4) %}{{ i }}{% endfor %}',
  'for-break': '{% for x in arr %}{% if x == 1 %}{% break %}{% endif %}{{ x }}{% endfor %}',
  'for-continue': '{% for x in arr %}{% if x == 1 %}{% continue %}{% endif %}{{ x }}{% endfor %}',
  'for-break-last': '{% for x in arr %}{{ x }}{{ loop.last }}{% if loop.index == 2 %}{% break %}{% endif %}{% endfor %}',
  'for-objs-attrs': '{% for o in objs %}{{ o.name }}:{{ o.meta.rank }} {% endfor %}',
  'for-newlines': '{% for x in arr %}\n- {{ x }}\n{% endfor %}\n',
  'set': '{% set x = n + 1 %}{{ x }}',
  'set-array': '{% set xs = [1, 2] %}{{ xs }}',
  'set-filter': '{% set up = name | upper %}{{ up }}',
  'set-shadow-context': '{% set name = "shadow" %}{{ name }}',
  'set-in-for-scoped': '{% set x = "outer" %}{% for i in arr %}{% set x = i %}{{ x }}{% endfor %}|{{ x }}',
  'set-global-in-for': '{% set x = 0 %}{% for i in arr %}{% set_global x = x + i %}{% endfor %}{{ x }}',
  'set-global-top': '{% set_global g = "G" %}{{ g }}',
  'set-in-if': '{% if t %}{% set y = "in-if" %}{% endif %}{{ y }}',
  'set-loop-iteration-reset': '{% for i in arr %}{% if loop.first %}{% set s = "first" %}{% endif %}{{ s | default(value="-") }}{% endfor %}',
  'set-global-nested-for': '{% set c = 0 %}{% for r in nested %}{% for x in r %}{% set_global c = c + 1 %}{% endfor %}{% endfor %}{{ c }}',
  'filter-block': '{% filter upper %}hello {{ name }}{% endfilter %}',
  'filter-block-args': '{% filter replace(from="l", to="L") %}hello{% endfilter %}',
  'filter-block-safe': '{% filter safe %}<b>{% endfilter %}',
  'raw': '{% raw %}{{ not rendered }} {% if %}{% endraw %}',
  'raw-ws': 'a {%- raw -%}  {{ x }}  {%- endraw -%} b',
  'comment': 'a{# a comment {{ x }} #}b',
  'comment-multiline': 'a{#\n multi\n line\n#}b',
  'comment-leading': '{# first #}\nbody',
};
for (const [k, v] of Object.entries(tags)) add(`gen-tag-${k}`, v, k === 'for-object-sorted' ? { ctx: { zeta: 1, alpha: 2, Beta: 3, _u: 4, '10': 5, '9': 6, é: 7 } } : D);

// ---- whitespace control -------------------------------------------------------------------------------
const ws = {
  'var-both': 'a  {{- name -}}  b', 'var-left': 'a \n {{- name }} b', 'var-right': 'a {{ name -}} \n b',
  'tag-if': 'x\n  {%- if t -%}\n  yes\n  {%- endif -%}\n  y', 'tag-for': '[\n{%- for x in arr -%}\n  {{ x }}\n{%- endfor -%}\n]',
  'tag-for-else': '{% for x in empty_a -%}  x  {%- else -%}  empty  {%- endfor %}',
  'tag-elif': '{% if fl -%} a {%- elif t -%} b {%- else -%} c {%- endif %}', 'tag-else-left': '{% if fl %}a {%- else %} b{% endif %}',
  'set': 'a\n{%- set x = 1 -%}\nb{{ x }}', 'comment': 'a\n{#- c -#}\nb', 'comment-left': 'a   {#- c #}   b',
  'raw': 'x {%- raw %} r {% endraw -%} y', 'filter': 'a {%- filter upper -%} b {%- endfilter -%} c', 'no-trim-default': 'a\n{% if t %}\nb\n{% endif %}\nc',
  'only-ws': '{{- name -}}', 'tabs': 'a\t\t{{- name -}}\t\tb', 'crlf': 'a\r\n{{- name -}}\r\nb', 'nested-for-if': '{% for x in arr -%}\n{% if x > 1 -%}\n{{ x }}\n{%- endif %}\n{% endfor %}',
};
for (const [k, v] of Object.entries(ws)) add(`gen-ws-${k}`, v);

// ---- built-in filters --------------------------------------------------------------------------------
const filters = {
  trim: ['spaces', 'name', 'empty_s', '"\u00a0nbsp\u00a0"', 'n'],
  trim_start: ['spaces', '"\\n x"'],
  trim_end: ['spaces', 'multi'],
  'trim_start_matches(pat="ab")': ['"ababc"', '"cab"'],
  'trim_end_matches(pat="-")': ['"a---"', 'csv'],
  'trim_start_matches(pat="\\n")': ['"\n\nx"'],
  truncate: ['name', '"x" * 3'],
  'truncate(length=3)': ['name', 'uni', 'emoji', 'empty_s'],
  'truncate(length=2, end="...")': ['name', '"ab"'],
  'truncate(length=5, end="")': ['uni'],
  wordcount: ['"one two  three"', 'multi', 'empty_s', 'spaces'],
  'replace(from="l", to="L")': ['name', 'uni', 'empty_s'],
  'replace(from="", to="-")': ['"abc"'],
  'replace(from="o", to="")': ['"foo boo"'],
  capitalize: ['"hELLO wORLD"', 'uni', '"ßtraße"', 'empty_s', '"myCli"'],
  linebreaksbr: ['multi', 'name'],
  striptags: ['html', '"a<!-- c -->b<br/>c"', '"a < b > c"'],
  spaceless: ['"<p>  \n <b>x</b>   </p>"', '"a   b"'],
  urlencode: ['"a b&c=d/e?f#g"', 'uni', '"~-._!*\'()"', '"100%"'],
  urlencode_strict: ['"a b/c"', '"ñ-_.~"'],
  escape: ['html', '"a/b"', 'name'],
  escape_xml: ['html'],
  slugify: ['"Hello, World!"', 'uni', '"  --Leading and trailing--  "', '"Ça va? Déjà vu"', '"Crème Brûlée 2024"', '"ÆØÅ æøå ß"', '"Привет мир"', '"Ελληνικά"', '"a_b-c d"', '"日本語"'],
  addslashes: ['"It\'s \\"quoted\\" \\\\ back"'],
  'split(pat=",")': ['csv', 'empty_s', 'name'],
  'split(pat="")': ['"abc"'],
  'split(pat="\\n")': ['multi'],
  int: ['num_s', 'float_s', 'hex_s', '"abc"', 'f', 'neg', '"-12"', '"+7"', '"1e3"', '""', 't'],
  'int(default=9)': ['"nope"'],
  'int(base=16)': ['hex_s', '"ff"', '"FF"', '"0x0x10"'],
  'int(base=2)': ['"0b101"', '"102"'],
  'int(base=8)': ['"0o17"'],
  float: ['float_s', 'num_s', '"abc"', 'n', '"1e3"', '"inf"', '"-.5"'],
  'float(default=1.5)': ['"x"'],
  first: ['arr', 'empty_a', 'words', 'objs'],
  last: ['arr', 'empty_a', 'nested'],
  'nth(n=1)': ['arr', 'empty_a'],
  'nth(n=10)': ['arr'],
  join: ['arr', 'words'],
  'join(sep=", ")': ['words', 'mixed', 'empty_a', 'nested'],
  sort: ['arr', 'words', 'bools', 'floats', 'nested', 'empty_a', 'mixed', '["b", "a", "C", "á", "B"]'],
  'sort(attribute="age")': ['objs'],
  'sort(attribute="meta.rank")': ['objs'],
  'sort(attribute="name")': ['objs'],
  'sort(attribute="tag")': ['objs'],
  'sort(attribute="nope")': ['objs'],
  unique: ['words', '[1, 2, 1, 3, 2]', 'bools', 'empty_a', 'floats', 'mixed'],
  'unique(case_sensitive=true)': ['words'],
  'unique(attribute="age")': ['objs'],
  'unique(attribute="tag")': ['objs'],
  'slice(start=1)': ['arr', 'empty_a', 'words'],
  'slice(end=2)': ['arr'],
  'slice(start=-2)': ['words'],
  'slice(start=1, end=-1)': ['words'],
  'slice(start=3, end=1)': ['arr'],
  'slice(start=0, end=10)': ['arr'],
  'slice(start=1.7)': ['words'],
  'group_by(attribute="tag")': ['objs', 'empty_a'],
  'group_by(attribute="age")': ['objs'],
  'filter(attribute="tag", value="x")': ['objs', 'empty_a'],
  'filter(attribute="tag")': ['objs'],
  'filter(attribute="meta.rank", value=2)': ['objs'],
  'map(attribute="name")': ['objs', 'empty_a'],
  'map(attribute="tag")': ['objs'],
  'map(attribute="meta.rank")': ['objs'],
  'concat(with=4)': ['arr'],
  'concat(with=[4, 5])': ['arr', 'empty_a'],
  'concat(with="x")': ['words'],
  round: ['f', 'half', '-2.5', '3.5', 'n', '0.5'],
  'round(precision=2)': ['f', '1.005'],
  'round(method="ceil")': ['f', '-1.5'],
  'round(method="floor", precision=1)': ['f', '-1.25'],
  filesizeformat: ['big', 'zero', '1023', '1024', '1536', '1073741824', '123456789012'],
  length: ['arr', 'empty_a', 'name', 'uni', 'emoji', 'obj', 'empty_o', 'empty_s'],
  reverse: ['arr', 'name', 'uni', 'empty_a'],
  date: ['ts', 'date_s', 'dt_s', '0'],
  'date(format="%Y/%m/%d %H:%M:%S")': ['ts', 'dt_s', 'date_s'],
  'date(format="%a %b %e %j %A %B %y %I %p %%")': ['ts'],
  'date(format="%F %T %z %:z")': ['dt_s'],
  'date(format="%d.%m.%Y", timezone="Europe/Berlin")': ['ts'],
  'date(format="%H:%M", timezone="America/New_York")': ['dt_s'],
  json_encode: ['obj', 'arr', 'name', 'nul', 'mixed', 'f', 'emoji', 'multi', 'html', 'empty_o', 'objs'],
  'json_encode(pretty=true)': ['obj', 'empty_a', 'nested', 'mixed'],
  as_str: ['n', 'arr', 'obj', 't', 'nul', 'f'],
  'get(key="a")': ['obj'],
  'get(key="zz", default="dflt")': ['obj'],
  'get(key="1")': ['obj'],
  safe: ['html', 'n'],
  'default(value="D")': ['missing', 'name', 'nul', 'empty_s', 'zero', 'missing.deep'],
  'default(value=n)': ['missing'],
};
let fi = 0;
for (const [filter, inputs] of Object.entries(filters)) {
  const fname = filter.replace(/\(.*$/, '');
  for (const input of inputs) {
    fi++;
    add(`gen-filter-${fname}-${String(fi).padStart(3, '0')}`, `{{ ${input} | ${filter} }}`);
  }
}
// chains and filter edge cases
add('gen-filter-chain-1', '{{ name | lower | replace(from="o", to="0") | upper }}');
add('gen-filter-chain-2', '{{ words | sort | join(sep="+") | upper }}');
add('gen-filter-chain-3', '{{ objs | map(attribute="name") | reverse | join(sep="") }}');
add('gen-filter-chain-4', '{{ "a,b,c" | split(pat=",") | length }}');
add('gen-filter-chain-5', '{{ missing | default(value="x") | upper }}');
add('gen-filter-chain-6', '{{ arr | sort | first }}-{{ arr | sort | last }}');
add('gen-filter-kwarg-expr', '{{ name | truncate(length=1 + 2) }}');
add('gen-filter-kwarg-trailing-comma', '{{ name | replace(from="W", to="w",) }}');
add('gen-filter-on-literal-array', '{{ [3, 1, 2] | sort | join(sep="-") }}');
add('gen-filter-default-chain-first', '{{ nul | default(value="was null") }}');

// ---- tests -------------------------------------------------------------------------------------------
const tests = {
  defined: ['name', 'missing', 'obj.a', 'obj.zz', 'nul'],
  undefined: ['missing', 'name'],
  odd: ['n', 'neg', 'f', 'zero'],
  even: ['n', 'neg', 'zero'],
  string: ['name', 'n', 'empty_s'],
  number: ['n', 'f', 'name'],
  'divisibleby(3)': ['n', 'neg'],
  'divisibleby(5)': ['n'],
  iterable: ['arr', 'obj', 'name', 'n'],
  object: ['obj', 'arr', 'empty_o'],
  'starting_with("Wo")': ['name', 'uni'],
  'ending_with("ld")': ['name'],
  'containing("or")': ['name'],
  'containing(1)': ['arr'],
  'containing("a")': ['obj', 'words'],
  'matching("^W.*d$")': ['name'],
  'matching("[0-9]+")': ['name'],
  'matching("ñ")': ['uni'],
};
let ti = 0;
for (const [test, inputs] of Object.entries(tests)) {
  const tname = test.replace(/\(.*$/, '');
  for (const input of inputs) {
    ti++;
    add(`gen-test-${tname}-${String(ti).padStart(3, '0')}`, `{% if ${input} is ${test} %}yes{% else %}no{% endif %}|{% if ${input} is not ${test} %}NOT{% endif %}`);
  }
}
add('gen-test-in-expr', '{{ name is defined }} {{ missing is defined }}');
add('gen-test-and', '{% if name is defined and name is string %}ok{% endif %}');
add('gen-test-not-prefix', '{% if not missing is defined %}absent{% endif %}');

// ---- functions ---------------------------------------------------------------------------------------
const fns = {
  'range-end': '{{ range(end=5) }}', 'range-start': '{{ range(start=2, end=5) }}', 'range-step': '{{ range(start=0, end=10, step_by=3) }}',
  'range-empty': '{{ range(end=0) }}', 'range-equal': '{{ range(start=3, end=3) }}', 'range-var': '{{ range(end=idx + 2) }}',
  'range-length': '{{ range(end=100) | length }}', 'get-env-default': '{{ get_env(name="GGEN_CORPUS_SURELY_UNSET", default="fallback") }}',
  'get-env-default-num': '{{ get_env(name="GGEN_CORPUS_SURELY_UNSET", default=5) + 1 }}', 'fn-in-if-bool': '{% if range(end=0) | length == 0 %}empty{% endif %}',
  'fn-concat': '{{ "n" ~ range(end=2) | length }}',
};
for (const [k, v] of Object.entries(fns)) add(`gen-fn-${k}`, v);

// ---- macros, include, import, extends (partials in _partials/) ------------------------------------
const inherit = {
  'import-basic': '{% import "macros.tera" as m %}{{ m::greet(who=name) }}',
  'import-default-arg': '{% import "macros.tera" as m %}{{ m::greet() }}|{{ m::greet(who="you", punct="?") }}',
  'import-recursion': '{% import "macros.tera" as m %}{{ m::countdown(n=4) }}',
  'import-self-call': '{% import "macros.tera" as m %}{{ m::wrap(text="x") }}',
  'import-loop': '{% import "macros.tera" as m %}{% for o in objs %}{{ m::field(f=o) }}{% endfor %}',
  'import-two': '{% import "macros.tera" as m %}{% import "more-macros.tera" as mm %}{{ mm::shout(text=m::greet(who="a")) }}',
  'import-nested-ns': '{% import "more-macros.tera" as mm %}{{ mm::via_other(x=1) }}',
  'import-set-macro-result': '{% import "macros.tera" as m %}{% set g = m::greet(who="s") %}[{{ g }}]',
  'import-macro-context': '{% import "macros.tera" as m %}{{ m::sees_context() }}',
  'import-macro-in-if': '{% import "macros.tera" as m %}{% if m::greet(who="x") %}truthy{% endif %}',
  'import-tree': '{% import "macros.tera" as m %}{{ m::tree(node=tree) }}',
  'include-basic': 'A{% include "header.tera" %}B',
  'include-context': '{% set local = "L" %}{% include "uses-context.tera" %}',
  'include-in-loop': '{% for x in arr %}{% include "item.tera" %}{% endfor %}',
  'include-ignore-missing': 'a{% include "nope.tera" ignore missing %}b',
  'include-list': '{% include ["nope.tera", "header.tera"] %}',
  'include-subdir': '{% include "sub/inner.tera" %}',
  'include-set-leak': '{% include "sets-var.tera" %}[{{ from_include | default(value="not leaked") }}]',
  'extends-basic': '{% extends "base.tera" %}{% block title %}Child{% endblock title %}',
  'extends-super': '{% extends "base.tera" %}{% block content %}before {{ super() }} after{% endblock content %}',
  'extends-default-blocks': '{% extends "base.tera" %}',
  'extends-multilevel': '{% extends "middle.tera" %}{% block title %}Leaf{% endblock %}{% block content %}{{ super() }}+leaf{% endblock %}',
  'extends-outside-ignored': '{% extends "base.tera" %}ignored text {% block title %}T{% endblock %} more ignored',
  'extends-context': '{% extends "base.tera" %}{% block content %}{{ name }} {{ n }}{% endblock %}',
  'extends-with-import': '{% extends "base.tera" %}{% import "macros.tera" as m %}{% block content %}{{ m::greet(who="blk") }}{% endblock %}',
  'extends-nested-blocks': '{% extends "nested-base.tera" %}{% block inner %}NEW INNER{% endblock %}',
  'extends-ws': '\n\n{% extends "base.tera" %}\n\n{% block title %}W{% endblock %}\n',
};
for (const [k, v] of Object.entries(inherit)) {
  add(`gen-inherit-${k}`, v, { ...D, tree: { label: 'root', children: [{ label: 'a', children: [] }, { label: 'b', children: [{ label: 'b1', children: [] }] }] } });
}

// ---- errors (Tera refuses these) -------------------------------------------------------------------
const errors = {
  'undefined-var': '{{ nope }}', 'undefined-attr': '{{ obj.nope }}', 'undefined-in-for': '{% for x in nope %}{% endfor %}',
  'undefined-cmp': '{% if nope == 1 %}{% endif %}', 'undefined-math': '{{ nope + 1 }}', 'undefined-filter-arg': '{{ name | replace(from=nope, to="x") }}',
  'unknown-filter': '{{ name | uppercase }}', 'unknown-function': '{{ nofn() }}', 'unknown-test': '{% if name is shiny %}{% endif %}',
  'positional-filter-arg': '{{ name | default("x") }}', 'positional-fn-arg': '{{ range(5) }}', 'unclosed-var': '{{ name ', 'unclosed-if': '{% if t %}x',
  'unclosed-for': '{% for x in arr %}x', 'bad-endtag': '{% if t %}x{% endfor %}', 'unknown-tag': '{% frobnicate %}', 'elif-after-else': '{% if t %}{% else %}{% elif fl %}{% endif %}',
  'break-outside-for': '{% break %}', 'continue-in-if': '{% if t %}{% continue %}{% endif %}', 'macro-same-file': '{% macro m() %}x{% endmacro %}{{ self::m() }}',
  'macro-in-if': '{% if t %}{% macro m() %}x{% endmacro %}{% endif %}', 'import-missing': '{% import "nope.tera" as n %}x', 'import-late': 'x{% import "macros.tera" as m %}',
  'include-missing': '{% include "nope.tera" %}', 'extends-missing': '{% extends "nope.tera" %}', 'extends-late': 'x{% extends "base.tera" %}',
  'super-outside-block': '{{ super() }}', 'block-in-for': '{% for x in arr %}{% block b %}{% endblock %}{% endfor %}', 'duplicate-block': '{% block a %}{% endblock %}{% block a %}{% endblock %}',
  'macro-missing-arg': '{% import "macros.tera" as m %}{{ m::field() }}', 'macro-unknown': '{% import "macros.tera" as m %}{{ m::nope() }}', 'macro-unknown-ns': '{% import "macros.tera" as m %}{{ x::greet() }}',
  'throw': '{{ throw(message="custom failure") }}', 'throw-in-if': '{% if t %}{{ throw(message="boom " ~ name) }}{% endif %}', 'math-string': '{{ name + 1 }}',
  'math-bool': '{{ t * 2 }}', 'mod-zero': '{{ 5 % 0 }}', 'concat-array': '{{ "a" ~ arr }}', 'in-number': '{{ 1 in n }}', 'for-number': '{% for x in n %}{% endfor %}',
  'for-kv-on-array': '{% for k, v in arr %}{% endfor %}', 'for-object-no-key': '{% for v in obj %}{% endfor %}', 'for-math': '{% for x in 1 + 2 %}{% endfor %}',
  'for-string-literal': '{% for c in "abc" %}{% endfor %}', 'filter-wrong-type': '{{ n | truncate(length=2) }}', 'filter-missing-arg': '{{ name | replace(from="a") }}',
  'filter-arg-type': '{{ name | truncate(length="2") }}', 'filter-float-usize': '{{ name | truncate(length=2.5) }}', 'length-number': '{{ n | length }}',
  'sort-objects': '{{ [obj, obj] | sort }}', 'sort-mixed': '{{ mixed | sort }}', 'sort-null-first': '{{ [nul, 1] | sort }}', 'unique-float': '{{ floats | unique }}',
  'get-missing-key': '{{ obj | get(key="zz") }}', 'get-non-object': '{{ arr | get(key="a") }}', 'first-non-array': '{{ name | first }}', 'join-non-array': '{{ name | join(sep=",") }}',
  'date-bad-string': '{{ "yesterday" | date }}', 'date-float': '{{ f | date }}', 'date-bad-format': '{{ ts | date(format="%Q") }}', 'round-bad-method': '{{ f | round(method="up") }}',
  'filesize-negative': '{{ neg | filesizeformat }}', 'range-no-end': '{{ range(start=1) }}', 'range-start-gt-end': '{{ range(start=5, end=1) }}', 'range-negative': '{{ range(end=-1) }}',
  'get-env-missing': '{{ get_env(name="GGEN_CORPUS_SURELY_UNSET") }}', 'test-too-many-args': '{% if n is odd(1) %}{% endif %}', 'test-undefined-value': '{% if missing is odd %}{% endif %}',
  'test-matching-bad-regex': '{% if name is matching("(") %}{% endif %}', 'cmp-nan': '{% if 1 / 0 > 1 %}{% endif %}', 'fn-in-if-non-bool': '{% if range(end=2) %}{% endif %}',
  'cmp-string-lt': '{% if "a" < "b" %}{% endif %}', 'dict-literal': '{{ {"a": 1} }}', 'inline-if': '{{ "a" if t else "b" }}', 'pow-op': '{{ 2 ** 3 }}',
  'floor-div': '{{ 7 // 2 }}', 'set-block': '{% set x %}body{% endset %}', 'call-block': '{% call m() %}{% endcall %}', 'from-import': '{% from "macros.tera" import greet %}',
  'trueish-ident': '{{ trueish }}', 'leading-zero': '{{ 012 }}', 'empty-var-tag': '{{ }}', 'empty-comment': '{##}', 'unterminated-string': '{{ "abc }}',
  'nested-var-tag': '{{ {{ name }} }}', 'macro-default-nonliteral': '{% macro m(a=n) %}{% endmacro %}', 'not-fn-call': '{% if not(t) %}{% endif %}',
  'error-line-3': 'line one\nline two\n{{ missing_on_line_3 }}\nline four', 'error-line-in-for': '{% for x in arr %}\n{{ x }}\n{{ x.nope }}\n{% endfor %}',
  'error-in-include': '{% include "broken-render.tera" %}', 'error-in-macro': '{% import "macros.tera" as m %}{{ m::fails() }}', 'index-out-of-bounds': '{{ arr.10 }}',
  'index-negative': '{{ arr[-1] }}', 'index-bad-type': '{{ arr[t] }}', 'ws-control-space': '{{ - name }}',
};
for (const [k, v] of Object.entries(errors)) add(`gen-error-${k}`, v);

// ---- more grammar, scoping and macro edge cases ----------------------------------------------------
const more = {
  'filter-binds-math': '{{ 1 + 2 | as_str }}', 'filter-binds-concat': '{{ "a" ~ "b" | upper }}', 'filter-on-paren': '{{ (1 + 2) * 3 | as_str }}',
  'cmp-chain': '{{ 1 < 2 < 3 }}', 'neg-ident': '{{ -n }}', 'not-in-filter': '{% if "A" in name | upper %}y{% else %}n{% endif %}',
  'in-and-not': '{{ "a" in "abc" and not "z" in "abc" }}', 'left-assoc-sub': '{{ 2 - 3 - 4 }}', 'left-assoc-div': '{{ 20 / 5 / 2 }}', 'mod-chain': '{{ 7 % 4 % 2 }}',
  'div-mul': '{{ 10 / 4 * 2 }}', 'div-float-zero': '{{ n / 0.0 }}', 'float-eq': '{{ 1.5 == 1.5 }}', 'array-int-float-eq': '{{ [1] == [1.0] }}', 'in-float': '{{ 1.0 in arr }}', 'in-float-literal-array': '{{ 1.0 in [1.0, 2] }} {{ 1 in [1.0] }} {{ 2 in [1.0, 2] }} {{ 2.5 in [2.5] }}',
  'default-not-first': '{{ nul | upper | default(value="x") }}', 'default-after-other': '{{ missing | upper | default(value="x") }}', 'default-then-filter': '{{ nul | default(value="x") | upper }}',
  'default-in-if': '{% if missing | default(value=true) %}y{% endif %}', 'default-in-for': '{% for x in missing | default(value=[1, 2]) %}{{ x }}{% endfor %}',
  'default-set': '{% set v = missing | default(value="dv") %}{{ v }}', 'default-deep': '{{ obj.c.nope | default(value="deep-default") }}',
  'loop-outside': '{{ loop.index }}', 'nested-loop-index': '{% for a in nested %}{% set outer = loop.index %}{% for b in a %}{{ outer }}.{{ loop.index }} {% endfor %}{% endfor %}',
  'nested-range': '{% for i in range(end=3) %}{% for j in range(end=i) %}{{ i }}{{ j }} {% endfor %}{% endfor %}', 'index-by-loop': '{% for w in words %}{{ arr[loop.index0] | default(value="-") }}{% endfor %}',
  'bracket-chain': '{{ obj["c"]["d"] }} {{ obj.c["d"] }}', 'map-join-length': '{{ objs | map(attribute="name") | join(sep=", ") | length }}', 'loop-index-test': '{% for x in words %}{% if loop.index is odd %}{{ x }} {% endif %}{% endfor %}',
  'break-nested-if': '{% for x in [1, 2, 3, 4] %}{% if x > 1 %}{% if x == 3 %}{% break %}{% endif %}{% endif %}{{ x }}{% endfor %}',
  'continue-last': '{% for x in arr %}{% if loop.last %}{% continue %}{% endif %}{{ x }}{% endfor %}', 'break-inner-only': '{% for r in nested %}[{% for x in r %}{% break %}{% endfor %}{{ r | length }}]{% endfor %}',
  'set-global-in-nested-if': '{% set found = "no" %}{% for x in arr %}{% if x == 2 %}{% set_global found = "yes:" ~ x %}{% endif %}{% endfor %}{{ found }}',
  'set-same-name-as-loop-var': '{% for x in arr %}{% set x = x * 10 %}{{ x }} {% endfor %}', 'set-loop-var-after': '{% for x in arr %}{% endfor %}{{ x | default(value="gone") }}',
  'unicode-ident': '{{ café }}', 'string-with-quote': "{{ 'it''s' }}", 'comment-with-hash': '{# a # b #}ok', 'var-spaces-inside': '{{name}}|{{   name   }}|{{\nname\n}}',
  'tag-spaces-inside': '{%if t%}a{%endif%}|{%   if   t   %}b{%   endif   %}', 'endblock-no-name': '{% block b %}B{% endblock %}', 'endmacro-name-mismatch-ok': '{% import "macros.tera" as m %}{{ m::greet() }}',
  'elif-chain': '{% if n == 1 %}1{% elif n == 2 %}2{% elif n == 42 %}42{% elif n > 40 %}big{% else %}?{% endif %}', 'if-is-not-defined-attr': '{% if obj.nope is not defined %}nd{% endif %}',
  'for-over-fn-filter': '{% for x in range(end=5) | reverse %}{{ x }}{% endfor %}', 'for-over-string-filter': '{% for c in name | lower %}{{ c }}.{% endfor %}', 'for-kv-values': '{% for k, v in obj.c %}{{ k }}:{{ v }}{% endfor %}',
  'for-kv-nested-obj': '{% for k, v in obj %}{% if v is object %}{{ k }}=obj {% endif %}{% endfor %}', 'concat-number-ident': '{{ n ~ neg ~ f }}', 'concat-three-types': '{{ "s" ~ 1 ~ 2.5 ~ name }}',
  'math-filter-both-sides': '{{ arr | length * words | length }}', 'cmp-filter-both-sides': '{{ arr | length == words | length }}', 'array-of-exprs': '{{ [n + 1, name | upper, t and fl, "a" ~ "b"] }}',
  'array-with-not': '{{ [not t, not missing] }}', 'array-index-literal': '{{ [1, 2, 3].1 }}', 'filter-args-from-loop': '{% for w in words %}{{ w | truncate(length=loop.index) }} {% endfor %}',
  'test-in-array-literal': '{{ [name is defined, missing is defined] }}', 'test-args-expr': '{% if n is divisibleby(2 * 3) %}y{% else %}n{% endif %}', 'test-on-dotted': '{% if obj.c is object %}obj{% endif %}',
  'macro-arg-shadows-context': '{% import "macros.tera" as m %}{{ m::greet(who=name) }} {{ name }}', 'macro-float-default': '{% import "more-macros.tera" as mm %}{{ mm::defaults() }}',
  'macro-uses-set-inside': '{% import "more-macros.tera" as mm %}{{ mm::with_set(v=3) }}', 'macro-in-block': '{% extends "base.tera" %}{% import "macros.tera" as m %}{% block title %}{{ m::wrap(text="T") }}{% endblock %}',
  'include-in-macro': '{% import "more-macros.tera" as mm %}{{ mm::with_include() }}', 'include-in-block': '{% extends "base.tera" %}{% block content %}{% include "header.tera" %}{% endblock %}',
  'macro-set-global-in-loop': '{% import "more-macros.tera" as mm %}{{ mm::counter(items=arr) }}', 'macro-extra-arg-ignored': '{% import "macros.tera" as m %}{{ m::greet(who="x", extra=nope) }}',
  'macro-arg-expr': '{% import "macros.tera" as m %}{{ m::greet(who=name | upper ~ "!", punct="") }}', 'macro-filter-result': '{% import "macros.tera" as m %}{{ m::greet(who="z") | upper | replace(from="!", to="?") }}',
  'super-twice': '{% extends "base.tera" %}{% block content %}{{ super() }}|{{ super() }}{% endblock %}', 'block-uses-loop': '{% extends "base.tera" %}{% block content %}{% for x in arr %}{{ x }}{% endfor %}{% endblock %}',
  'raw-with-endraw-like': '{% raw %}{% endraw x %}{% endraw %}', 'ws-raw-inner': '{% raw -%}   keep?   {%- endraw %}', 'text-with-braces': 'fn main() { let x = {}; } {{ "{{" }} }} {%',
  'lone-brace-end': 'a }} b %} c #}', 'nul-in-concat': '{{ "a" ~ nul }}', 'bool-in-concat': '{{ "a" ~ t }}',
};
for (const [k, v] of Object.entries(more)) add(`gen-more-${k}`, v);
const floats = {
  'literal-json': '{{ 4.0 | json_encode }}', 'math-json': '{{ (2.5 * 2) | json_encode }}', 'round-json': '{{ f | round | json_encode }}', 'float-filter-json': '{{ "3" | float | json_encode }}',
  'array-json': '{{ [1.0, 2, 2.5] | json_encode }}', 'set-json': '{% set x = 2.0 %}{{ x | json_encode }}', 'unique-error': '{{ [1.0, 2.0] | unique }}', 'truncate-arg': '{{ "abc" | truncate(length=2.0) }}',
  'range-arg': '{{ range(end=3.0) }}', 'div-int-json': '{{ (10 / 5) | json_encode }}', 'div-float-json': '{{ (10 / 4) | json_encode }}', 'mul-mixed-json': '{{ (2 * 1.5) | json_encode }}',
  'concat-literal': '{{ "a" ~ 2.0 }}', 'concat-var': '{% set x = 2.0 %}{{ "a" ~ x }}', 'eq-int': '{{ 1.0 == 1 }}', 'render': '{{ 2.0 }} {{ (1.5 + 1.5) }} {{ [2.0] }}',
  'int-filter-json': '{{ 2.7 | int | json_encode }}', 'add-json': '{{ (1.5 + 1.5) | json_encode }}', 'sub-int-json': '{{ (3 - 1) | json_encode }}', 'mod-float-json': '{{ (5.0 % 2) | json_encode }}',
  'nth-arg': '{{ arr | nth(n=1.0) }}', 'filesize': '{{ 1024.0 | filesizeformat }}', 'group-by-float-key': '{{ [obj] | group_by(attribute="c") | json_encode }}', 'macro-arg-json': '{% import "more-macros.tera" as mm %}{{ mm::json_of(v=3.0) }}',
  'in-set-float': '{% set x = 1.0 %}{{ x in [1] }} {{ x in [1.0] }}', 'as-str': '{{ 2.0 | as_str }}', 'length-float-array': '{{ [1.0] | length }}', 'sort-floats-json': '{{ [2.0, 1.5] | sort | json_encode }}', 'negative-zero': '{{ -0.25 | round }} {{ -0.25 | round | json_encode }} {{ 0 * -1 }} {{ -0.0 }}',
};
// date: every strftime specifier chrono knows (except the offset ones, which make Tera panic on naive times),
// over timestamps, dates, naive and offset datetimes, with and without a time zone.
const dateInputs = [0, 1709647629, 951782400, -86400, 4102444800, '2024-03-05', '2024-02-29T23:59:59Z', '2024-03-05T14:07:09.123456+02:00', '1999-12-31T23:59:59-05:30', '2024-03-05T14:07:09'];
const dateSpecs = ['%Y %C %y %m %b %h %B', '%d %e %a %A %w %u %j', '%H %k %I %l %P %p %M %S', '%f %.3f %.6f %.9f %.f %3f %6f %9f', '%s %F %D %x %T %X %R', '%c | %v | %r', '%n%t%% %-d %-m %_d %0e %-H %-j', '%U %W %G %g %V'];
dateSpecs.forEach((spec, i) => {
  for (const zone of ['', 'Asia/Kolkata']) {
    add(`gen-date-${i}${zone ? '-tz' : ''}`, `{% for v in vals %}{{ v | date(format="${spec}"${zone ? `, timezone="${zone}"` : ''}) }}\n{% endfor %}`, { vals: dateInputs });
  }
});
for (const [k, v] of Object.entries(floats)) add(`gen-float-${k}`, v, { ...D, obj: { c: 1.5 } });


// ---- ggen filters with tricky words -------------------------------------------------------------------
const wordSets = {
  basic: ['hello_world', 'helloWorld', 'HelloWorld', 'hello-world', 'hello world', 'Hello World', 'HELLO_WORLD', 'hello', ''],
  acronyms: ['HTTPServer', 'XMLHttpRequest', 'getHTTPResponseCode', 'IOError', 'ID', 'userID', 'APIKey', 'A', 'ABC'],
  digits: ['user1', 'v2api', 'abc1def', 'Version2Beta', '123abc', 'x86_64', 'utf8', 'h2o', '2fa_enabled'],
  separators: ['hello@world#test', '__private__', '--flag--', 'a.b.c', 'foo  bar', ' leading space', 'trailing_', 'A::B::C', 'snake_case-and-kebab'],
  unicode: ['ñandú', 'straße', 'café_au_lait', 'ÉcoleNormale', 'naïve-user', 'über_cool', 'Ωmega', 'δέλτα_value', '日本語'],
  plurals: ['box', 'category', 'user_profile', 'UserProfile', 'person', 'child', 'mouse', 'octopus', 'sheep', 'analysis', 'quiz', 'ox', 'matrix', 'status', 'news'],
  singulars: ['boxes', 'categories', 'user_profiles', 'people', 'children', 'mice', 'octopi', 'analyses', 'quizzes', 'oxen', 'matrices', 'statuses', 'wives', 'movies', 'series'],
  modules: ['A::B::C', 'ActiveRecord::Base', 'Message', 'user_profiles', 'Admin::UserProfiles', '::Leading', 'Trailing::', 'a::b', 'NoModule'],
  numbers: ['1', '2', '3', '4', '11', '12', '13', '21', '22', '101', '111', '1.5', '1.11', 'abc', '0', '1st', '2nd', '3rd', '4th', 'north', 'first'],
};
const ggen = ['camel', 'pascal', 'class', 'snake', 'kebab', 'param', 'title', 'sentence', 'train', 'pluralize', 'singularize', 'deconstantize', 'demodulize', 'ordinalize', 'deordinalize', 'foreign_key', 'shouty_snake', 'constant', 'shouty_kebab', 'titlecase', 'upper', 'lower', 'lcfirst', 'ucfirst'];
const setsFor = {
  pluralize: ['basic', 'plurals', 'singulars', 'unicode'],
  singularize: ['basic', 'plurals', 'singulars', 'unicode'],
  deconstantize: ['modules', 'separators'],
  demodulize: ['modules', 'separators'],
  foreign_key: ['modules', 'basic', 'acronyms'],
  ordinalize: ['numbers'],
  deordinalize: ['numbers'],
  class: ['basic', 'acronyms', 'digits', 'separators', 'unicode', 'singulars'],
};
for (const filter of ggen) {
  for (const set of setsFor[filter] ?? ['basic', 'acronyms', 'digits', 'separators', 'unicode']) {
    add(`gen-ggen-${filter}-${set}`, `{% for w in words %}{{ w }} => {{ w | ${filter} }}\n{% endfor %}`, { words: wordSets[set].filter((w) => !(filter === 'ordinalize' && w === '')) });
  }
  add(`gen-ggen-${filter}-nonstring`, `{{ n | ${filter} }}|{{ arr | ${filter} }}|{{ t | ${filter} }}|{{ nul | ${filter} }}|{{ obj | ${filter} }}|{{ f | ${filter} }}`, { n: 42, arr: ['a', 'b'], t: true, nul: null, obj: { b: 1, a: 'x' }, f: 2.5 });
}
// Seeded pseudo-random words from tricky fragments: broad coverage of the Inflector/heck ports.
let fuzzState = 12345;
const fuzzNext = () => {
  fuzzState = (Math.imul(fuzzState, 1103515245) + 12345) >>> 0;
  return fuzzState >>> 8;
};
const fragments = ['user', 'User', 'HTTP', 'Id', 'ID', '2', '10', '_', '-', ' ', '.', '::', 'é', 'É', 'ß', 'x', 'Api', 'API', 'v', 's', 'es', 'ies', 'ox', 'man', 'child', 'Status', 'quiz', 'ñ', 'Ω', 'σ', '__', '@', 'xml', 'Xml', 'a1', 'B2b', 'th', 'st', '1st', 'matrix', 'person', 'data', 'octopus', 'wife', 'leaf'];
const fuzzWord = () => {
  const n = 1 + (fuzzNext() % 4);
  let w = '';
  for (let i = 0; i < n; i++) w += fragments[fuzzNext() % fragments.length];
  return w;
};
for (const filter of ggen) {
  const words = Array.from({ length: 40 }, fuzzWord);
  add(`gen-ggen-${filter}-fuzz`, `{% for w in words %}{{ w }} => {{ w | ${filter} }}\n{% endfor %}`, { words });
}
// Seeded random arithmetic: number formatting, precedence and division rules.
const nums = ['1', '2', '3', '7', '10', '0.5', '2.5', '-4', '1.25', '100', 'n', 'f', 'half', 'neg'];
const ops = ['+', '-', '*', '/', '%'];
const exprsFuzz = [];
for (let i = 0; i < 60; i++) {
  let e = nums[fuzzNext() % nums.length];
  const k = 1 + (fuzzNext() % 3);
  for (let j = 0; j < k; j++) {
    let rhs = nums[fuzzNext() % nums.length];
    const op = ops[fuzzNext() % ops.length];
    if (op === '%' && (rhs.includes('.') || rhs === 'f' || rhs === 'half')) rhs = '3';
    e += ` ${op} ${rhs}`;
  }
  exprsFuzz.push(e);
}
add('gen-expr-fuzz', exprsFuzz.map((e) => `${e} = {{ ${e} }}`).join('\n') + '\n');

// Seeded random templates mixing tags, whitespace control, scoping and errors (differential against Tera).
const pick = (a) => a[fuzzNext() % a.length];
const wsMark = () => (fuzzNext() % 3 === 0 ? '-' : '');
const fuzzTexts = ['a', ' ', '\n', '  \n  ', 'x y', '\t', '\r\n', '}', '{ ', '%'];
const fuzzExprs = ['n', 'name | upper', 'x', 'loop.index', 'arr | length', 'n + 1', 'not t', '"s" ~ n', 'missing | default(value=1)', 'x * 2', 'loop.last', 'obj.a', 'arr', 'g', 'f / 2', 'name | snake ~ "_" ~ n', '[x, n]', 'x is odd', 'k', 'v'];
const fuzzConds = ['t', 'fl', 'x > 1', 'missing', 'not missing', 'loop.first', 'n == 42', 'x in arr', 'name is defined and t', 'arr | length > 2'];
function fuzzTemplate(depth) {
  let out = '';
  const count = 1 + (fuzzNext() % 4);
  for (let i = 0; i < count; i++) {
    const r = fuzzNext() % 12;
    const a = wsMark, b = wsMark;
    if (r < 3 || depth > 3) out += pick(fuzzTexts);
    else if (r === 10) out += `{%${a()} include "${pick(['header.tera', 'item.tera', 'uses-context.tera', 'sets-var.tera', 'sub/inner.tera', 'nope.tera'])}"${fuzzNext() % 3 === 0 ? ' ignore missing' : ''} ${b()}%}`;
    else if (r === 11) out += `{{${a()} m::${pick(['greet(who=x)', 'greet()', 'countdown(n=2)', 'wrap(text=name)', 'sees_context()', 'field(f=obj)', 'tree(node=obj)'])} ${b()}}}`;
    else if (r < 5) out += `{{${a()} ${pick(fuzzExprs)} ${b()}}}`;
    else if (r === 5) out += `{%${a()} if ${pick(fuzzConds)} ${b()}%}${fuzzTemplate(depth + 1)}${fuzzNext() % 2 ? `{%${a()} else ${b()}%}${fuzzTemplate(depth + 1)}` : ''}{%${a()} endif ${b()}%}`;
    else if (r === 6) out += fuzzNext() % 3 === 0 ? `{%${a()} for k, v in obj ${b()}%}${fuzzTemplate(depth + 1)}{%${a()} endfor ${b()}%}` : `{%${a()} for x in arr ${b()}%}${fuzzTemplate(depth + 1)}${fuzzNext() % 4 === 0 ? `{%${a()} else ${b()}%}${fuzzTemplate(depth + 1)}` : ''}{%${a()} endfor ${b()}%}`;
    else if (r === 7) out += `{%${a()} ${fuzzNext() % 2 ? 'set' : 'set_global'} g = ${pick(fuzzExprs)} ${b()}%}`;
    else if (r === 8) out += `{#${a()} c ${b()}#}`;
    else out += fuzzNext() % 2 ? `{%${a()} raw ${b()}%} {{ r }} \n{%${a()} endraw ${b()}%}` : `{%${a()} filter upper ${b()}%}${fuzzTemplate(depth + 1)}{%${a()} endfilter ${b()}%}`;
  }
  return out;
}
const fuzzContext = { n: 42, name: 'WorldWide', t: true, fl: false, arr: [3, 1, 2], obj: { b: 2, a: 1, name: 'nm', age: 3, label: 'L' }, f: 3.5, local: 'loc' };
const fuzzTop = () => {
  const r = fuzzNext() % 4;
  if (r === 0) return `{% extends "base.tera" %}{% import "macros.tera" as m %}{% block content %}${fuzzTemplate(1)}${fuzzNext() % 2 ? '{{ super() }}' : ''}{% endblock content %}`;
  if (r === 1) return fuzzTemplate(0);
  return `{% import "macros.tera" as m %}${fuzzTemplate(0)}`;
};
for (let i = 0; i < 160; i++) add(`gen-fuzz-${String(i).padStart(3, '0')}`, fuzzTop(), fuzzContext);

// Seeded random JSON values through printing, truthiness, tests, math and the filters that take any value.
const fuzzScalars = [0, 1, -1, 42, 1.5, -0.25, 1e-7, 123456789012, 0.1 + 0.2, 1 / 3, '', 'a', 'B', 'héllo', '😀x', 'a,b', ' sp ', 'Zeta', 'alpha', true, false, null];
function fuzzValue(d) {
  const r = fuzzNext() % 10;
  if (d > 2 || r < 5) return pick(fuzzScalars);
  if (r < 8) return Array.from({ length: fuzzNext() % 4 }, () => fuzzValue(d + 1));
  const o = {};
  for (let i = 0, n = fuzzNext() % 4; i < n; i++) o[pick(['a', 'b', 'Z', 'é', '10', '2', 'k k'])] = fuzzValue(d + 1);
  return o;
}
const valueTemplates = ['{{ v }}', '{{ v | json_encode }}', '{{ v | json_encode(pretty=true) }}', '{{ v | as_str }}', '{{ v | length }}', '{{ v | first }}', '{{ v | last }}', '{{ v | reverse }}', '{{ v | sort }}', '{{ v | unique }}', '{{ v | join(sep=",") }}', '{{ v | concat(with=[1]) }}', '{% if v %}T{% else %}F{% endif %}', '{{ v | upper }}', '{{ v | snake }}', '{% for x in v %}{{ x }};{% endfor %}', '{% for k, x in v %}{{ k }}={{ x }};{% endfor %}', '{{ v is number }}{{ v is string }}{{ v is iterable }}{{ v is object }}', '{{ v | int }}', '{{ v | float }}', '{{ v | round(precision=2) }}', '{{ v | filesizeformat }}', '{{ v == v }}', '{{ v ~ "" }}', '{{ v + 1 }}', '{{ v / 3 }}', '{{ v % 2 }}', '{{ 1 in v }}', '{{ v | slice(start=1) }}', '{{ v | nth(n=1) }}', '{{ v | truncate(length=1) }}', '{{ v | get(key="a", default="d") }}', '{{ v | date }}', '{{ v | urlencode }}', '{{ v | slugify }}', '{{ v | capitalize }}', '{{ v | escape }}'];
for (let i = 0; i < 100; i++) add(`gen-vfuzz-${String(i).padStart(3, '0')}`, pick(valueTemplates), { v: fuzzValue(0) });

add('gen-ggen-ignores-args', '{{ "hello_world" | camel(x=1) }} {{ "a" | upper(y="z") }}');
add('gen-ggen-chain', '{{ "user profile" | snake | pluralize | camel }}');

// ---- Tera 1.20.1 (issue 13): parenthesised logic, join escapes, filesizeformat, magic context, i64/u64, Rust regex, floats, %Z ----
const v120 = {
  'paren-logic': '{% if (n >= 18) and (n < 65) %}adult{% endif %}|{{ (t and fl) or t }}|{{ ((t)) }}|{{ (not t) }}|{% if (n > 1) or (zero > 1) and fl %}x{% endif %}',
  'paren-logic-in-set': '{% set ok = (n > 40) and (neg < 0) %}{{ ok }}',
  'join-escapes': '{{ words | join(sep=",\\n\\t") }}',
  'filesizeformat-units': '{{ 1024 | filesizeformat }} {{ 123456789 | filesizeformat }} {{ 123456789 | filesizeformat(binary=true) }} {{ 1 | filesizeformat }} {{ 1073741824 | filesizeformat(binary=true) }}',
  'magic-context': '{% set x = 1 %}{% for w in ["a"] %}{{ __tera_context }}{% endfor %}',
  'macro-same-file': '{% macro hi(who="you") %}hi {{ who }}{% endmacro hi %}{{ self::hi() }} {{ self::hi(who=name) }}',
  'test-bracket-ident': '{{ obj["a"] is defined }} {{ obj["zz"] is defined }} {{ objs[1] is object }}',
};
for (const [k, v] of Object.entries(v120)) add(`gen-v120-${k}`, v);
// for over range() iterates without building the array (big outputs): the same values, loop variables and errors.
const lazyRanges = {
  'step': '{% for i in range(start=2, end=11, step_by=3) %}{{ i }}{% if loop.last %}.{% else %},{% endif %}{% endfor %}',
  'empty-else': '{% for i in range(start=4, end=4) %}{{ i }}{% else %}none{% endfor %}',
  'loop-vars': '{% for i in range(end=3) %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.first }}/{{ loop.last }}={{ i }} {% endfor %}',
  'break': '{% for i in range(end=n) %}{% if i > 3 %}{% break %}{% endif %}{{ i }}{% endfor %}',
  'magic-context': '{% for i in range(start=5, end=6) %}{{ __tera_context | length }}{% endfor %}',
  'filtered': '{% for i in range(end=4) | reverse %}{{ i }}{% endfor %}',
  'var-args': '{% for i in range(end=n, step_by=20) %}{{ i }} {% endfor %}',
  'error-key-value': '{% for k, v in range(end=2) %}{{ k }}{% endfor %}',
  'error-start-gt-end': '{% for i in range(start=3, end=1) %}{{ i }}{% endfor %}',
  // (step_by=0 is left out: Tera 1.20.1 loops forever on it, ggen refuses it.)
  'error-no-end': '{% for i in range(start=3) %}{{ i }}{% endfor %}',
};
for (const [k, v] of Object.entries(lazyRanges)) add(`gen-v120-range-${k}`, v);
add('gen-v120-error-macro-in-for', '{% for x in arr %}{% macro m() %}{% endmacro m %}{% endfor %}');
add('gen-v120-error-not-paren', '{{ not (t or fl) }}');

// Integers over the whole i64/u64 range: a context written as raw JSON text keeps them exact.
const bigCtx = '{"big": 9007199254740993, "i64max": 9223372036854775807, "i64min": -9223372036854775808, "u64max": 18446744073709551615, "beyond": 18446744073709551616, "small": 2}\n';
const bigs = {
  'print': '{{ big }} {{ i64max }} {{ i64min }} {{ u64max }} {{ beyond }}',
  'json': '{{ [big, i64max, i64min, u64max, beyond] | json_encode }}',
  'math': '{{ big + 1 }} {{ big - 1 }} {{ big * small }} {{ i64max - 1 }} {{ u64max - 1 }} {{ i64min + 1 }} {{ big % 10 }} {{ big / small }}',
  'compare': '{{ big == 9007199254740993 }} {{ big > 9007199254740992 }} {{ i64max > big }} {{ u64max >= i64max }}',
  'filters': '{{ big | abs }} {{ i64min + 1 | abs }} {{ big | int }} {{ "9223372036854775807" | int }} {{ "-9223372036854775808" | int }} {{ "9223372036854775808" | int }} {{ "18446744073709551615" | int(default=7) }} {{ "7fffffffffffffff" | int(base=16) }} {{ big | float }} {{ big | filesizeformat }}',
  'literal': '{{ 9223372036854775807 }} {{ -9223372036854775808 }} {{ 9007199254740993 + 0 }}',
  'concat': '{{ "n=" ~ big }} {{ big ~ "" }}',
  'tests': '{{ big is number }} {{ big is odd }} {{ i64max is divisibleby(7) }}',
  'error-add-overflow': '{{ i64max + 1 }}',
  'error-mul-overflow': '{{ big * big }}',
  'error-u64-overflow': '{{ u64max + 1 }}',
  'error-sub-overflow': '{{ i64min - 1 }}',
  'mixed-sign': '{{ u64max + -1 }}',
};
for (const [k, v] of Object.entries(bigs)) add(`gen-v120-bigint-${k}`, v, bigCtx);
add('gen-v120-bigint-error-literal', '{{ 9223372036854775808 }}');

// Floats written with a fraction stay floats (serde_json), integers stay integers.
const floatCtx = '{"a": -1.0, "b": 1.0, "c": 1, "d": 2.50, "e": 1e3, "f": 1E2, "g": 0.0, "h": -0.0, "arr": [1.0, 2, 3.5], "o": {"x": 10.0}}\n';
const floatCases = {
  'print': '{{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ f }} {{ g }} {{ h }} {{ arr }} {{ o.x }}',
  'json': '{{ a | json_encode }} {{ arr | json_encode }} {{ o | json_encode }} {{ e | json_encode }} {{ h | json_encode }}',
  'math': '{{ a + 1 }} {{ b * 2 }} {{ c + b }} {{ e / 10 }} {{ b == c }} {{ arr | first == 1 }} {{ 1 in arr }}',
  'filters': '{{ b | int }} {{ a | abs }} {{ b | round }} {{ e | filesizeformat }}',
  'error-date-float': '{{ b | date }}',
};
for (const [k, v] of Object.entries(floatCases)) add(`gen-v120-float-${k}`, v, floatCtx);

// Rust regex syntax in `matching`.
const regexes = [
  ['inline-i', '(?i)hello', 'Say HELLO'], ['inline-i-group', '(?i:HEL)lo', 'hello'], ['inline-m', '(?m)^b$', 'a\nb\nc'], ['inline-s', '(?s)a.b', 'a\nb'],
  ['no-s', 'a.b', 'a\nb'], ['inline-x', '(?x) h e l l o  # a comment', 'hello'], ['anchors', '\\Ahello\\z', 'hello'], ['anchors-multiline', '(?m)\\Ab$', 'a\nb'],
  ['named', '(?P<year>\\d{4})-(?P<month>\\d{2})', '2024-03'], ['unicode-d', '^\\d+$', '١٢٣'],
  ['unicode-w', '^\\w+$', 'héllo'], ['unicode-b', '\\bwörld\\b', 'héllo wörld'], ['class-pL', '^\\pL+$', 'Ωmega'], ['class-greek', '\\p{Greek}', 'abc λ'],
  ['ascii-class', '^[[:alpha:]]+$', 'abc'], ['ascii-class-digit', '^[[:digit:][:space:]]+$', '1 2'], ['escape-punct', '\\#\\&\\~', '#&~'], ['hex', '\\x{1F600}', 'smile 😀'],
  ['swap-greed', '^(?U)a+$', 'aaa'], ['swap-greed-lazy', '(?U)^a{1,3}?b', 'aaab'], ['named-js-refused', '(?<y>\\\\d{4})', '1999'], ['case-flags-off', '(?i)a(?-i)B', 'ab'], ['class-literal-bracket', '[]a]+', ']a]'], ['dash-escape', 'a\\-b', 'a-b'],
];
for (const [k, re, text] of regexes) {
  add(`gen-v120-regex-${k}`, `{% if text is matching(re) %}yes{% else %}no{% endif %}`, { re: re.replaceAll('\\\\', '\\'), text: text.replaceAll('\\n', '\n') });
}
for (const [k, re] of [['lookahead', 'a(?=b)'], ['lookbehind', '(?<=a)b'], ['backref', '(a)\\1'], ['unclosed', '(a']]) {
  add(`gen-v120-regex-error-${k}`, '{{ text is matching(re) }}', { re, text: 'aab' });
}

// %Z with a timezone: the tz database abbreviations (chrono-tz), winter and summer.
const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Australia/Sydney', 'Asia/Tokyo', 'America/Sao_Paulo', 'Europe/London', 'Europe/Dublin', 'Asia/Kathmandu', 'Etc/GMT+5', 'America/Los_Angeles', 'Africa/Johannesburg', 'Pacific/Auckland'];
add('gen-v120-date-tz-abbrev', `{% for z in zones %}{{ z }}: {{ w | date(format="%Z %z", timezone=z) }} {{ s | date(format="%Z %:z %H:%M", timezone=z) }} {{ ts | date(format="%Z", timezone=z) }}\n{% endfor %}`,
  { zones, w: '2024-01-15T12:00:00Z', s: '2024-07-15T12:00:00+00:00', ts: 1709647629 });
add('gen-v120-date-tz-abbrev-history', '{{ "1985-07-01T00:00:00Z" | date(format="%Z", timezone="Europe/Moscow") }} {{ "2012-07-01T00:00:00Z" | date(format="%Z", timezone="Europe/Moscow") }} {{ "1978-07-01T00:00:00Z" | date(format="%Z", timezone="Europe/Lisbon") }}');

for (const [name, tpl, ctx] of cases) {
  writeFileSync(join(corpus, `${name}.tera`), tpl);
  // A context given as text is written as is (raw JSON keeps 1.0 a float and big integers exact).
  writeFileSync(join(corpus, `${name}.json`), typeof ctx === 'string' ? ctx : JSON.stringify(ctx, null, 1) + '\n');
}
console.log(`${cases.length} generated cases in ${corpus}`);
