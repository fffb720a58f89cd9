// Shell completion: the engine agrees with commander's tree (so with --help) for every command, the spec table names
// real flags and arguments, and the printed scripts work in a real bash, zsh and fish driving the built CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete } from '../../src/cli/completion/engine.js';
import { COMPLETION_ENTRIES } from '../../src/cli/completion/specs.js';
import { createProgram } from '../../src/cli/main.js';
import { ggenBin, makeTempDir, repoRoot, runGgen } from '../helpers/cli.js';

const values = async (words: string[], cwd?: string) => (await complete(createProgram(), words, cwd)).candidates.map((c) => c.value);

function commandAt(program: Command, path: string): Command | undefined {
  let cmd: Command | undefined = program;
  for (const name of path.split(' ').filter(Boolean)) cmd = cmd?.commands.find((c) => c.name() === name);
  return cmd;
}

function allCommands(cmd: Command, path: string[] = []): Array<{ cmd: Command; path: string[] }> {
  const visible = cmd.createHelp().visibleCommands(cmd).filter((c) => c.name() !== 'help');
  return [{ cmd, path }, ...visible.flatMap((c) => allCommands(c, [...path, c.name()]))];
}

describe('completion engine', () => {
  it('offers exactly the subcommands and long flags --help shows, for every command', async () => {
    const program = createProgram();
    const failures: string[] = [];
    for (const { cmd, path } of allCommands(program)) {
      const help = cmd.createHelp();
      const subs = help.visibleCommands(cmd).filter((c) => c.name() !== 'help').flatMap((c) => [c.name(), ...c.aliases()]).sort();
      if (subs.length > 0) {
        const got = (await values([...path, ''])).filter((v) => subs.includes(v)).sort();
        if (JSON.stringify(got) !== JSON.stringify(subs)) failures.push(`${path.join(' ')}: subcommands ${got.join(',')} ≠ ${subs.join(',')}`);
      }
      const flags = new Set<string>();
      for (let c: Command | null = cmd; c; c = c.parent) for (const o of c.createHelp().visibleOptions(c)) if (o.long) flags.add(o.long);
      const got = new Set(await values([...path, '--']));
      for (const f of flags) if (!got.has(f)) failures.push(`${path.join(' ') || 'ggen'}: flag ${f} not offered`);
      for (const g of got) if (!flags.has(g)) failures.push(`${path.join(' ') || 'ggen'}: offers ${g}, which --help does not show`);
    }
    expect(failures).toEqual([]);
  });

  it('never offers the hidden __complete helper', async () => {
    expect(await values(['__'])).toEqual([]);
    expect(await values(['co'])).toEqual(['completion']);
  });

  it('every spec entry names a command and a flag or argument that exist', () => {
    const program = createProgram();
    const problems: string[] = [];
    for (const e of COMPLETION_ENTRIES) {
      const cmd = commandAt(program, e.path);
      if (!cmd) { problems.push(`${e.path}: no such command`); continue; }
      const under = allCommands(cmd).map((x) => x.cmd);
      if (e.flag && !under.some((c) => c.options.some((o) => o.long === e.flag))) problems.push(`${e.path}: no flag ${e.flag}`);
      if (e.arg && !under.some((c) => c.registeredArguments.some((a) => a.name() === e.arg))) problems.push(`${e.path}: no argument ${e.arg}`);
    }
    expect(problems).toEqual([]);
  });

  it('completes fixed value sets from the constants the commands validate against', async () => {
    expect(await values(['graph', 'query', 'a.ttl', '--format', ''])).toEqual(['table', 'json', 'csv', 'tsv']);
    expect(await values(['graph', 'query', '--format=c'])).toEqual(['--format=csv']);
    expect(await values(['graph', 'export', 'a.ttl', '--to', 'n'])).toEqual(['nt', 'nq', 'ntriples', 'nquads', 'n3']);
    expect(await values(['graph', 'stats', '-i', 'r'])).toEqual(['rdfxml']);
    expect(await values(['gen', 'x.tmpl', '--conflicts', ''])).toEqual(['fail', 'markers']);
    expect(await values(['project', 'gen', '--compat', ''])).toEqual(['ggen1']);
    expect(await values(['market', 'search', '--sort', ''])).toEqual(['relevance', 'downloads', 'name', 'updated']);
    expect(await values(['market', 'search', '--order', ''])).toEqual(['asc', 'desc']);
    expect(await values(['template', 'new', 'x', '--type', ''])).toEqual(['generic', 'typescript', 'python', 'rust']);
    expect(await values(['init', '--preset', ''])).toEqual(['default', 'typescript', 'python']);
    expect(await values(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(await values(['lifecycle', 'readiness-update', 'auth-basic', 'n'])).toEqual(['needs-review', 'not-applicable']);
    // A variadic option keeps taking values until the next flag.
    expect(await values(['gen', '--graph', 'a.ttl', 'b.ttl', '--conf'])).toEqual(['--conflicts']);
    // bash hands --flag=value over as three words; the value alone is replaced.
    expect(await values(['graph', 'query', '--format', '=', 't'])).toEqual(['table', 'tsv']);
  });

  it('reads phases from make.toml under -C and --root', async () => {
    expect(await values(['-C', 'examples/lifecycle', 'lifecycle', 'show', ''], repoRoot)).toEqual(['build', 'deploy', 'init', 'test']);
    expect(await values(['lifecycle', 'run', '--root', 'examples/lifecycle', 'b'], repoRoot)).toEqual(['build']);
    expect(await values(['lifecycle', 'run', ''], '/')).toEqual([]);
  });

  it('says which arguments are files (with extensions) or directories', async () => {
    const directive = async (words: string[]) => (await complete(createProgram(), words)).directive;
    expect(await directive(['gen', ''])).toEqual({ kind: 'files', extensions: ['.tmpl'] });
    expect(await directive(['template', 'render', ''])).toEqual({ kind: 'files', extensions: ['.tmpl', '.tera'] });
    expect(await directive(['graph', 'query', ''])).toEqual({ kind: 'files' });
    expect(await directive(['project', 'gen', '--out', ''])).toEqual({ kind: 'dirs' });
    expect(await directive(['init', ''])).toEqual({ kind: 'dirs' });
    expect(await directive(['graph', 'query', '--format', ''])).toEqual({ kind: 'none' });
  });
});

describe('completion scripts in real shells', () => {
  let tmp: { dir: string; cleanup: () => void };
  let project: string;
  let env: NodeJS.ProcessEnv;
  const scripts: Record<string, string> = {};

  beforeAll(async () => {
    tmp = makeTempDir('ggen-completion-');
    const bin = join(tmp.dir, 'bin');
    mkdirSync(bin);
    symlinkSync(ggenBin, join(bin, 'ggen'));
    env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: tmp.dir, NO_COLOR: '1' };
    project = join(tmp.dir, 'proj');
    mkdirSync(join(project, 'templates'), { recursive: true });
    writeFileSync(join(project, 'templates', 'entity.tmpl'), '---\nto: x\n---\n');
    writeFileSync(join(project, 'templates', 'notes.txt'), '');
    writeFileSync(join(project, 'model.ttl'), '');
    writeFileSync(join(project, 'make.toml'), '[lifecycle.build]\ncommand = "true"\ndescription = "Build it"\n[lifecycle.bench]\ncommand = "true"\n[lifecycle.test]\ncommand = "true"\n');
    writeFileSync(join(project, 'ggen.lock'), '# ggen.lock: written by `ggen market`; do not edit by hand.\nversion = "2"\n\n[[packs]]\nid = "io.ggen.rust.structs"\nversion = "1.0.0"\nintegrity = "sha512-AAAA"\nsource = "bundled"\nresolved = "packs/x.tgz"\nrequested = "*"\ndependencies = []\n');
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await runGgen(['completion', shell]);
      expect(r.code).toBe(0);
      scripts[shell] = join(tmp.dir, `ggen.${shell}`);
      writeFileSync(scripts[shell], r.stdout);
    }
  });
  afterAll(() => tmp.cleanup());

  /** Sources the bash script, sets COMP_WORDS/COMP_CWORD as bash does for the line, calls the function, prints COMPREPLY. */
  function bash(words: string[]): string[] {
    const driver = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _ggen_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const out = execFileSync('bash', ['--norc', '--noprofile', '-c', driver, 'bash', scripts.bash!, 'ggen', ...words], { cwd: project, env, encoding: 'utf8' });
    return out.split('\n').filter(Boolean);
  }

  it('prints a script per shell and refuses another shell (exit 2)', async () => {
    const r = await runGgen(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.\n(run with --help for usage)\n");
    expect(spawnSync('bash', ['-n', scripts.bash!]).status).toBe(0);
    expect(spawnSync('zsh', ['-n', scripts.zsh!]).status).toBe(0);
    expect(spawnSync('fish', ['--no-execute', scripts.fish!]).status).toBe(0);
  });

  it('bash: subcommands, flags, flag values, files and project values', () => {
    expect(bash(['gr'])).toEqual(['graph']);
    expect(bash(['graph', ''])).toEqual(['query', 'load', 'export', 'stats', 'validate', 'diff', 'snapshot']);
    expect(bash(['graph', 'query', '--fo'])).toEqual(['--format']);
    expect(bash(['graph', 'query', '--format', 't'])).toEqual(['table', 'tsv']);
    expect(bash(['graph', 'query', '--format', '=', 'c'])).toEqual(['csv']);
    expect(bash(['graph', 'query', '--format', '='])).toEqual(['table', 'json', 'csv', 'tsv']);
    // Template arguments: directories and *.tmpl only.
    expect(bash(['gen', 'tem'])).toEqual(['templates']);
    expect(bash(['gen', 'templates/'])).toEqual(['templates/entity.tmpl']);
    expect(bash(['graph', 'query', 'mo'])).toEqual(['model.ttl']);
    expect(bash(['lifecycle', 'run', 'b'])).toEqual(['bench', 'build']);
    expect(bash(['market', 'remove', ''])).toEqual(['io.ggen.rust.structs']);
    expect(bash(['init', '--pack', 'io.ggen.py'])).toEqual(['io.ggen.python.dataclasses']);
  });

  it('zsh: the completion function hands candidates to _describe and files to _files', () => {
    // compsys is stubbed: the point is what _ggen passes on, for the real compsys see the next test.
    const driver = `source "$1"; shift; _describe() { print -rl -- "\${(@P)4}" }; _files() { print -r -- "_files $*" }; words=("$@"); CURRENT=\${#words}; _ggen`;
    const run = (words: string[]) => execFileSync('zsh', ['-f', '-c', driver, 'zsh', scripts.zsh!, 'ggen', ...words], { cwd: project, env, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(run(['gr'])).toEqual(['graph:load RDF, query it with SPARQL, export, count, validate (SHACL), diff and snapshot it']);
    expect(run(['graph', 'query', '--format=t'])).toEqual(['--format=table', '--format=tsv']);
    expect(run(['gen', ''])).toEqual(['_files -g (*.tmpl)']);
    expect(run(['lifecycle', 'run', 'bu'])).toEqual(['build:Build it']);
  });

  it('zsh: real compsys lists flag values on TAB (under a pseudo-terminal)', () => {
    const script = [
      'zmodload zsh/zpty',
      "zpty -b z 'zsh -f -i'",
      `zpty -w z "PS1='> '; autoload -Uz compinit; compinit -u -D; source ${scripts.zsh}; cd ${project}"`,
      "zpty -w z $'ggen graph query --format \\t'",
      // Poll (up to 20 s on a busy machine) until the listing has come.
      'out=""; for i in {1..80}; do while zpty -r -t z chunk; do out+=$chunk; done; [[ $out == *tsv* ]] && break; sleep 0.25; done',
      'print -r -- "$out"',
      'zpty -d z',
    ].join('\n');
    const r = spawnSync('zsh', ['-f', '-c', script], { env, encoding: 'utf8', timeout: 30_000 });
    const screen = r.stdout.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
    expect(screen).toMatch(/csv\s+json\s+table\s+tsv/);
  });

  it('fish: complete -C lists subcommands, values and template files', () => {
    const fish = (line: string) => execFileSync('fish', ['--no-config', '-c', `source ${scripts.fish}; complete -C '${line}'`], { cwd: project, env, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(fish('ggen gr')).toEqual(['graph\tload RDF, query it with SPARQL, export, count, validate (SHACL), diff and snapshot it']);
    expect(fish('ggen graph query --format ')).toEqual(['csv', 'json', 'table', 'tsv']);
    expect(fish('ggen graph query --format=c')).toEqual(['--format=csv']);
    expect(fish('ggen gen templates/')).toEqual(['templates/entity.tmpl']);
    expect(fish('ggen lifecycle run b')).toEqual(['bench', 'build\tBuild it']);
  });
});
