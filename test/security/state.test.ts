// ggen's own state cannot be forged: no output lands in `.ggen/` (any case, any depth), and recovery acts only
// on journals ggen signed for this root, never outside it. Each case checks that nothing changed on disk.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeJournal } from '../../src/generate/journal.js';
import { runGgen } from '../helpers/cli.js';
import { expectOneLineError, snapshot, world, writeFiles, type World } from './helpers.js';

let current: World | undefined;
afterEach(() => current?.cleanup());

const TEMPLATE = '---\nto: out.txt\n---\nfresh\n';

describe('no template output lands in .ggen/', () => {
  const targets = [
    '.ggen/receipt.json',
    '.ggen/staging-1-deadbeef/journal.json',
    '.GGEN/receipt.json',
    '.Ggen/lock',
    'sub/../.ggen/objects/x',
    'nested/.ggen/receipt.json',
    './.ggen/x',
    '.ggen',
    '.ggen\\\\receipt.json',
  ];
  it.each(targets)('to: %s is refused and nothing is written', async (to) => {
    current = world({ 't.tmpl': `---\nto: "${to}"\n---\n{"forged": true}\n` });
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr).toMatch(/^error: t\.tmpl:2:5: "to:" points into \.ggen\/, which holds ggen's own state/);
    expect(snapshot(current.root)).toEqual(before);
  });

  it('is refused from a project too, with a receipt present', async () => {
    current = world({ 'p/ok.tmpl': TEMPLATE, 'p/ggen.toml': 'output = "out"\n' });
    expect((await runGgen(['project', 'gen', 'p'], { cwd: current.project })).code).toBe(0);
    writeFiles(current.project, { 'p/evil.tmpl': '---\nto: .ggen/receipt.json\n---\n{}\n' });
    const before = snapshot(current.root);
    const r = await runGgen(['project', 'gen', 'p'], { cwd: current.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"to:" points into .ggen/');
    expect(snapshot(current.root)).toEqual(before);
  });

  it('a symlink into .ggen/ is refused', async () => {
    current = world({ 't.tmpl': '---\nto: state/receipt.json\n---\n{}\n', '.ggen/keep': '' });
    symlinkSync(join(current.project, '.ggen'), join(current.project, 'state'));
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('goes through a symlink into .ggen/');
    expect(snapshot(current.root)).toEqual(before);
  });
});

/** A staging directory as a killed run would leave it, with the given journal text. */
function plantJournal(w: World, name: string, journal: string): string {
  const dir = join(w.project, '.ggen', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'b0'), 'attacker content\n');
  writeFileSync(join(dir, 'journal.json'), journal);
  return dir;
}

const DEAD = 'staging-2147483646-0badf00d';

describe('recovery acts only on journals ggen wrote', () => {
  const cases: Array<[string, (w: World) => string, RegExp]> = [
    ['an unsigned journal in the old format naming ../VICTIM', (w) => JSON.stringify({ entries: [{ target: w.victim, staged: 'f0', backup: join(w.project, '.ggen', DEAD, 'b0') }], created: [w.root] }), /it is not in the format ggen writes/],
    ['a journal whose path escapes the root', () => JSON.stringify({ ggenJournal: 1, root: '/', entries: [{ path: '../VICTIM', staged: null, backup: 'b0' }], dirs: [], mac: '0'.repeat(64) }), /entries\[0\]\.path: path escapes the output root/],
    ['a journal with an absolute path', () => JSON.stringify({ ggenJournal: 1, root: '/', entries: [{ path: '/etc/passwd', staged: null, backup: 'b0' }], dirs: [], mac: '0'.repeat(64) }), /path is an absolute path/],
    ['a journal with a staging name that leaves the staging directory', () => JSON.stringify({ ggenJournal: 1, root: '/', entries: [{ path: 'x', staged: '../../../VICTIM', backup: null }], dirs: [], mac: '0'.repeat(64) }), /staged: not a staging name/],
    ['a journal whose tree staging name is not its own path', () => JSON.stringify({ ggenJournal: 1, root: '/', entries: [{ path: 'x.txt', staged: 't/../../VICTIM', backup: null }], dirs: [], mac: '0'.repeat(64) }), /a tree staging name must be t\/ and the entry's own path/],
    ['a journal that removes directories outside', () => JSON.stringify({ ggenJournal: 1, root: '/', entries: [], dirs: ['..'], mac: '0'.repeat(64) }), /dirs\[0\]: path escapes the output root/],
    ['a journal with a forged signature', (w) => JSON.stringify({ ggenJournal: 1, root: w.project, entries: [{ path: 'out.txt', staged: null, backup: 'b0' }], dirs: [], mac: 'a'.repeat(64) }), /its signature does not match/],
    ['a journal signed with another user\'s key', (w) => serializeJournal({ ggenJournal: 1, root: w.project, entries: [{ path: 'out.txt', staged: null, backup: 'b0' }], dirs: [] }, { XDG_STATE_HOME: join(w.root, 'other-user-state') }), /its signature does not match/],
    ['a genuine journal of another output root', (w) => serializeJournal({ ggenJournal: 1, root: join(w.root, 'elsewhere'), entries: [{ path: 'out.txt', staged: null, backup: 'b0' }], dirs: [] }, process.env), /it belongs to another output root/],
    ['a journal that is not JSON', () => '{"ggenJournal": 1, ', /it is not valid JSON/],
  ];
  it.each(cases)('%s is refused, left in place, and nothing changes', async (_name, journal, reason) => {
    current = world({ 't.tmpl': TEMPLATE });
    const dir = plantJournal(current, DEAD, journal(current));
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr).toMatch(new RegExp(`^error: refusing to recover from \\.ggen/${DEAD}/journal\\.json: `));
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).toContain('hint: ');
    expect(snapshot(current.root)).toEqual(before);
    expect(readFileSync(current.victim, 'utf8')).toBe('precious\n');
    expect(existsSync(join(dir, 'journal.json'))).toBe(true);
  });

  it('a genuine journal whose path goes through a symlink out of the root is refused', async () => {
    current = world({ 't.tmpl': TEMPLATE });
    symlinkSync(current.root, join(current.project, 'up'));
    plantJournal(current, DEAD, serializeJournal({ ggenJournal: 1, root: current.project, entries: [{ path: 'up/VICTIM', staged: null, backup: 'b0' }], dirs: [] }, process.env));
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('goes through a symlink that leads outside the output root');
    expect(snapshot(current.root)).toEqual(before);
  });

  it('a staging directory ggen did not name is refused', async () => {
    current = world({ 't.tmpl': TEMPLATE });
    plantJournal(current, 'staging-evil', '{}');
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: refusing to recover from .ggen/staging-evil: ggen did not create it (not a staging directory)\n  hint: inspect it and delete it to continue; nothing was changed\n');
    expect(snapshot(current.root)).toEqual(before);
  });

  it('a staging directory that is a symlink out of the root is refused', async () => {
    current = world({ 't.tmpl': TEMPLATE, '../outside/journal.json': '{}' });
    mkdirSync(join(current.project, '.ggen'));
    symlinkSync(join(current.root, 'outside'), join(current.project, '.ggen', DEAD));
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`refusing to recover from .ggen/${DEAD}: ggen did not create it`);
    expect(snapshot(current.root)).toEqual(before);
  });

  it('a .ggen that is a symlink is refused', async () => {
    current = world({ 't.tmpl': TEMPLATE, '../outside/receipt.json': '{}' });
    symlinkSync(join(current.root, 'outside'), join(current.project, '.ggen'));
    const before = snapshot(current.root);
    for (const args of [['gen', 't.tmpl'], ['gen', 't.tmpl', '--receipt'], ['project', 'gen', '.']]) {
      const r = await runGgen(args, { cwd: current.project });
      expect(r.code).toBe(1);
      expectOneLineError(r.stderr);
      expect(r.stderr).toContain(`${join(current.project, '.ggen')} is a symlink; ggen keeps its state there and refuses to follow it`);
    }
    expect(snapshot(current.root)).toEqual(before);
  });

  it.each(['objects', 'cache', 'cache/queries'])('a .ggen/%s that is a symlink is refused: merge bases and caches stay inside', async (sub) => {
    current = world({ 't.tmpl': TEMPLATE });
    mkdirSync(join(current.project, '.ggen', ...sub.split('/').slice(0, -1)), { recursive: true });
    mkdirSync(join(current.root, 'outside'), { recursive: true });
    symlinkSync(join(current.root, 'outside'), join(current.project, '.ggen', ...sub.split('/')));
    const before = snapshot(current.root);
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr);
    expect(r.stderr).toContain(`${join(current.project, '.ggen', ...sub.split('/'))} is a symlink; ggen keeps its state there and refuses to follow it`);
    expect(snapshot(current.root)).toEqual(before);
  });

  it('a journal ggen wrote is recovered (the control case)', async () => {
    current = world({ 't.tmpl': TEMPLATE, 'kept.txt': 'half-applied\n' });
    const dir = plantJournal(current, DEAD, serializeJournal({ ggenJournal: 1, root: current.project, entries: [{ path: 'kept.txt', staged: 'f0', backup: 'b0' }], dirs: [] }, process.env));
    writeFileSync(join(dir, 'b0'), 'original\n');
    const r = await runGgen(['gen', 't.tmpl'], { cwd: current.project });
    expect(r.code).toBe(0);
    expect(readFileSync(join(current.project, 'kept.txt'), 'utf8')).toBe('original\n');
    expect(readdirSync(join(current.project, '.ggen')).sort()).toEqual(['cache', 'objects', 'receipt.json']);
  });
});
