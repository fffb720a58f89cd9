// Output paths with control characters are refused; file-system faults (ENOTDIR, EACCES, EROFS, ENOSPC) are
// one-line errors naming the path and the cause, exit 1, with nothing written. Uses real mounts and a real
// unprivileged user, so this file needs root (as CI has).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ggenBin, runGgen, type RunResult } from '../helpers/cli.js';
import { expectOneLineError, snapshot, world, type World } from './helpers.js';

let current: World | undefined;
afterEach(() => current?.cleanup());

describe('control characters in a rendered to:', () => {
  const cases: Array<[string, string, string]> = [
    ['NUL', '"a\\0b.txt"', 'contains NUL'],
    ['a newline', '"a\\nb.txt"', 'contains a newline'],
    ['a carriage return', '"a\\rb.txt"', 'contains a carriage return'],
    ['a tab', '"a\\tb.txt"', 'contains a tab'],
    ['ESC', '"a\\eb.txt"', 'contains ESC'],
    ['DEL', '"a\\x7fb.txt"', 'contains the control character U+007F'],
    ['a C1 control (NEL)', '"a\\Nb.txt"', 'contains the control character U+0085'],
    ['a bell in a directory name', '"d\\a/x.txt"', 'contains the control character U+0007'],
  ];
  it.each(cases)('%s is refused', async (_name, to, message) => {
    current = world({ 't.tmpl': `---\nto: ${to}\n---\nx\n` });
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr.split('\n')[0]).toContain(`error: t.tmpl:2:5: "to:" ${message}`);
    expect(r.stderr).toContain('file names cannot hold control characters');
    expect(snapshot(current.root)).toEqual(before);
  });

  it('a control character coming from a --var or a graph row is refused too', async () => {
    current = world({
      'v.tmpl': '---\nto: "{{ name }}.txt"\n---\nx\n',
      'g.tmpl': '---\nto: "{{ row.label }}.txt"\nforeach: q\nsparql:\n  q: "SELECT ?label WHERE { ?s <http://ex/l> ?label }"\n---\nx\n',
      'g.ttl': '<http://ex/a> <http://ex/l> "line one\\nline two" .\n',
    });
    const before = snapshot(current.root);
    const v = await runGgen(['gen', 'v.tmpl', '--var', 'name=a\nb'], { cwd: current.project });
    expect([v.code, v.stderr.split('\n')[0]]).toEqual([1, 'error: v.tmpl:2:5: "to:" contains a newline ("a\\nb.txt")']);
    const g = await runGgen(['gen', 'g.tmpl', '--graph', 'g.ttl'], { cwd: current.project });
    expect([g.code, g.stderr.split('\n')[0]]).toEqual([1, 'error: g.tmpl:2:5: "to:" contains a newline ("line one\\nline two.txt")']);
    expect(snapshot(current.root)).toEqual(before);
  });
});

describe('file-system faults', () => {
  beforeAll(() => {
    if (process.getuid?.() !== 0) throw new Error('the file-system fault tests mount tmpfs and switch to the user nobody: run them as root (CI does)');
  });

  it('ENOTDIR: a parent of the target is a file', async () => {
    current = world({ 't.tmpl': '---\nto: file.txt/x.txt\n---\nx\n', 'ok.tmpl': '---\nto: ok.txt\n---\nok\n', 'file.txt': 'a file\n' });
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 'ok.tmpl', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr).toBe(`error: cannot write file.txt/x.txt: ${join(current.project, 'file.txt')} is a file, not a directory\n  hint: remove or rename the file that stands where a directory is needed\n`);
    expect(snapshot(current.root)).toEqual(before);
  });

  it('ENOTDIR: the output root is a file', async () => {
    current = world({ 't.tmpl': '---\nto: x.txt\n---\nx\n', 'out': 'a file\n' });
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 't.tmpl', '--out', 'out'], { cwd: current.project });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr.split('\n')[0]).toBe(`error: cannot create ${join(current.project, 'out', '.ggen')}: ${join(current.project, 'out')} is a file, not a directory`);
    expect(snapshot(current.root)).toEqual(before);
  });

  /** Runs ggen as the unprivileged user nobody (root ignores permissions). */
  function asNobody(args: string[], cwd: string, home: string): Promise<RunResult> {
    return new Promise((resolve) => {
      const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ggenBin, ...args], {
        cwd, env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  function nobodyWorld(files: Record<string, string>): { w: World; home: string } {
    const w = world(files);
    const home = join(w.root, 'home');
    mkdirSync(home);
    chmodSync(w.root, 0o755);
    for (const p of [w.project, home]) chownSync(p, 65534, 65534);
    execFileSync('chown', ['-R', '65534:65534', w.project, home]);
    return { w, home };
  }

  it('EACCES: a read-only output directory', async () => {
    const { w, home } = nobodyWorld({ 't.tmpl': '---\nto: x.txt\n---\nx\n', 'ro/keep': 'kept\n' });
    current = w;
    chmodSync(join(w.project, 'ro'), 0o555);
    const before = snapshot(w.root, { skip: (rel) => rel.startsWith('home') });
    const r = await asNobody(['gen', 't.tmpl', '--out', 'ro'], w.project, home);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr).toBe(`error: cannot create ${join(w.project, 'ro', '.ggen')}: permission denied\n  hint: check the permissions of the path and its directories\n`);
    expect(snapshot(w.root, { skip: (rel) => rel.startsWith('home') })).toEqual(before);
  });

  it('EACCES: a read-only subdirectory, after other files were staged: everything rolls back', async () => {
    const { w, home } = nobodyWorld({ 'a.tmpl': '---\nto: a.txt\n---\nA\n', 'b.tmpl': '---\nto: locked/b.txt\n---\nB\n', 'locked/old': 'old\n' });
    current = w;
    chmodSync(join(w.project, 'locked'), 0o555);
    const before = snapshot(w.root, { skip: (rel) => rel.startsWith('home') });
    const r = await asNobody(['gen', 'a.tmpl', 'b.tmpl'], w.project, home);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr).toBe('error: cannot write locked/b.txt: permission denied\n  hint: check the permissions of the path and its directories\n');
    expect(snapshot(w.root, { skip: (rel) => rel.startsWith('home') })).toEqual(before);
  });

  it('EACCES: an unreadable template', async () => {
    const { w, home } = nobodyWorld({ 't.tmpl': '---\nto: x.txt\n---\nx\n' });
    current = w;
    chmodSync(join(w.project, 't.tmpl'), 0o000);
    const r = await asNobody(['gen', 't.tmpl'], w.project, home);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr.split('\n')[0]).toBe('error: cannot read template t.tmpl: permission denied');
  });

  describe('on real mounts', () => {
    const mounts: string[] = [];
    // Unmounted before the temp dir is removed (afterEach hooks run in reverse order of registration).
    afterEach(() => {
      for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m]);
    });
    function mount(dir: string, opts: string): void {
      mkdirSync(dir, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
      mounts.push(dir);
    }

    it('EROFS: a read-only file system', async () => {
      current = world({ 't.tmpl': '---\nto: x.txt\n---\nx\n' });
      const dir = join(current.root, 'ro');
      mount(dir, 'size=1m');
      writeFileSync(join(dir, 'existing.txt'), 'kept\n');
      execFileSync('mount', ['-o', 'remount,ro', dir]);
      const before = snapshot(current.root);
      const r = await runGgen(['gen', 't.tmpl', '--out', dir], { cwd: current.project });
      expect(r.code).toBe(1);
      expectOneLineError(r.stderr);
      expect(r.stderr).toBe(`error: cannot create ${join(dir, '.ggen')}: the file system is read-only\n  hint: write to a writable location (--out)\n`);
      expect(snapshot(current.root)).toEqual(before);
    });

    it('ENOSPC: the disk fills up while staging: nothing is written and no state is left', async () => {
      current = world({ 'a.tmpl': '---\nto: a.txt\n---\nsmall\n', 'b.tmpl': `---\nto: big.txt\n---\n${'y'.repeat(300_000)}\n` });
      const dir = join(current.root, 'full');
      mount(dir, 'size=128k');
      writeFileSync(join(dir, 'existing.txt'), 'kept\n');
      const before = snapshot(current.root);
      for (const args of [['gen', 'a.tmpl', 'b.tmpl', '--out', dir], ['gen', 'a.tmpl', 'b.tmpl', '--out', dir, '--receipt']]) {
        const r = await runGgen(args, { cwd: current.project });
        expect(r.code).toBe(1);
        expectOneLineError(r.stderr);
        expect(r.stderr).toBe('error: cannot write big.txt: no space left on the device\n  hint: free some disk space and run again\n');
        expect(snapshot(current.root)).toEqual(before);
      }
    });
  });
});
