// Bad input (issue §6): each case fails with a located, one-line error and writes nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGgen } from '../helpers/cli.js';
import { PEOPLE_TTL, tree } from './fixtures.js';

const ok = '---\nto: ok.txt\n---\nfine\n';

const cases: Array<[name: string, template: string | Buffer, stderr: string | RegExp]> = [
  ['malformed YAML', '---\nto: a.txt\nvars: [a, b\n---\nx\n', /^error: t\.tmpl:3:12: invalid YAML in frontmatter: Flow sequence .+\n {2}hint: check indentation and quoting/],
  ['a value of the wrong type', '---\nto: a.txt\nat_line: "three"\ninject: true\n---\nx\n', 'error: t.tmpl:3:10: frontmatter "at_line" must be a whole number ≥ 0, got the string "three"\n'],
  ['a SPARQL syntax error', '---\nto: a.txt\nsparql:\n  people: "SELECT ?x WHERE { ?x ?p }"\n---\nx\n', /^error: t\.tmpl:4:11: query "people" in t\.tmpl: .+\n/],
  ['an undeclared prefix', '---\nto: a.txt\nsparql:\n  people: "SELECT ?x WHERE { ?x a nope:Thing }"\n---\nx\n', /^error: t\.tmpl:4:11: query "people" in t\.tmpl: .*nope.*\n/],
  ['a missing rdf file', '---\nto: a.txt\nrdf: missing.ttl\n---\nx\n', /^error: t\.tmpl:3:6: rdf file not found: missing\.ttl \(resolved to .+missing\.ttl\)\n {2}hint: rdf: paths are relative to the template file\n$/],
  ['a to: that renders empty', '---\nto: "{{ nothing | default(value=\'\') }}"\n---\nx\n', 'error: t.tmpl:2:5: "to:" rendered to an empty path\n  hint: check the variables used in to: (an undefined or empty value?)\n'],
  ['a to: that escapes the root', '---\nto: "../{{ \'x\' }}.txt"\n---\nx\n', 'error: t.tmpl:2:5: "to:" escapes the output root: ../x.txt\n  hint: outputs must be files inside the output directory\n'],
  ['an absolute to:', '---\nto: /tmp/ggen-absolute.txt\n---\nx\n', 'error: t.tmpl:2:5: "to:" is an absolute path (/tmp/ggen-absolute.txt); outputs must stay inside the output root\n  hint: write a path relative to the output directory (--out)\n'],
  ['a foreach naming an unknown query', '---\nto: "{{ row.name }}.txt"\nforeach: peple\nsparql:\n  people: "SELECT ?name WHERE { ?p rdfs:label ?name }"\n---\nx\n', 'error: t.tmpl:3:10: foreach names an unknown query "peple"\n  hint: did you mean "people"?\n'],
  ['an injection anchor that is not found', '---\nto: target.txt\ninject: true\nbefore: "// ANCHOR"\n---\nx\n', 'error: t.tmpl: injection anchor "// ANCHOR" (before:) not found in target.txt\n  hint: the anchor is a substring of one line of the target file; fix it or the target\n'],
  ['a binary template', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02, 0xff]), 'error: t.tmpl: template is a binary file, expected text\n  hint: templates are UTF-8 text (YAML frontmatter + Tera body)\n'],
  ['a template without frontmatter', 'just a body {{ x }}\n', 'error: t.tmpl:1:1: template has no frontmatter, so it has no output path\n  hint: start the file with ---\\nto: path/of/output.ext\\n--- (use `ggen template render` to render a body without writing)\n'],
  ['a body syntax error', '---\nto: a.txt\n---\nline\n{{ oops( }}\n', /^error: t\.tmpl:5:\d+: .+/],
];

describe('bad input writes nothing', () => {
  it.each(cases)('%s', async (_name, template, stderr) => {
    // ok.tmpl sorts first: a failure in t.tmpl must also keep ok.txt from being written.
    const dir = tree({ 'ok.tmpl': ok, 't.tmpl': template, 'g.ttl': PEOPLE_TTL, 'out/target.txt': 'no anchor here\n' });
    const r = await runGgen(['gen', 'ok.tmpl', 't.tmpl', '--graph', 'g.ttl', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(1);
    if (typeof stderr === 'string') expect(r.stderr).toBe(stderr);
    else expect(r.stderr).toMatch(stderr);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'out/ok.txt'))).toBe(false);
    expect(existsSync(join(dir, 'out/a.txt'))).toBe(false);
    expect(existsSync(join(dir, 'out/.ggen'))).toBe(false);
    expect(existsSync('/tmp/ggen-absolute.txt')).toBe(false);
  });
});
