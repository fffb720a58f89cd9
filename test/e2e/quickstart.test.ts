// The README quick start, in cleanrooms: the demo query and `ggen project gen` of the bundled example,
// whose outputs must compile and be reproducible.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationSuite, commandSucceeds, compiles, parsesAs } from '../../src/cleanroom/index.js';
import { repoRoot } from '../helpers/cli.js';
import { CleanroomEnv } from './helpers.js';

const examples = join(repoRoot, 'examples');
let env: CleanroomEnv;

beforeAll(async () => {
  env = await CleanroomEnv.create();
  await env.copyIn(examples);
});
afterAll(() => env.dispose());

describe('README quick start', () => {
  it('`npm run demo`: lists the classes of the shop example', async () => {
    const r = await env.ggen(['graph', 'query', 'shop.ttl', '--query-file', 'queries/classes.rq']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^\?class\s+\| \?name$/);
    for (const name of ['Category', 'Customer', 'Order', 'OrderLine', 'Product']) expect(r.stdout).toMatch(new RegExp(`shop:${name}\\s+\\| ${name}\\n`));
  });

  it('`ggen project gen` projects the example into TypeScript, Python, Rust, SQL and Markdown', async () => {
    const r = await env.ggen(['project', 'gen', '.']);
    expect(r.exitCode).toBe(0);
    const files = (await env.tree()).map((e) => e.path).filter((p) => p.startsWith('out/') && !p.startsWith('out/.ggen/'));
    for (const dir of ['out/typescript/', 'out/python/', 'out/rust/', 'out/sql/', 'out/docs/']) expect(files.some((f) => f.startsWith(dir))).toBe(true);
  });

  it('the generated code compiles and the SQL loads into sqlite3', async () => {
    const tree = (await env.tree()).map((e) => e.path);
    const of = (dir: string, ext: string) => tree.filter((p) => p.startsWith(dir) && p.endsWith(ext));
    const suite = new ValidationSuite('example outputs')
      .add(compiles('typescript', of('out/typescript/', '.ts')))
      .add(compiles('python', of('out/python/', '.py')))
      .add(compiles('rust', of('out/rust/', '.rs')))
      .add(commandSucceeds('sh', ['-c', `for f in ${of('out/sql/', '.sql').join(' ')}; do sqlite3 :memory: < "$f" || exit 1; done`]))
      .add(parsesAs('out/.ggen/receipt.json', 'json'));
    const result = await suite.run(env);
    expect(result.results.filter((x) => !x.passed).map((x) => `${x.validator}: ${x.messages.join('\n')}`)).toEqual([]);
  });

  it('a second run changes nothing and `project verify` passes', async () => {
    const before = await env.tree();
    expect((await env.ggen(['project', 'gen', '.'])).exitCode).toBe(0);
    expect(await env.tree()).toEqual(before);
    const verify = await env.ggen(['project', 'verify', '.']);
    expect(verify.exitCode).toBe(0);
  });

  it('is reproducible: another cleanroom produces the same bytes', async () => {
    await using other = await CleanroomEnv.create();
    await other.copyIn(examples);
    expect((await other.ggen(['project', 'gen', '.'])).exitCode).toBe(0);
    // `.ggen/cache` is machine-local (signed with each user's key), like .git/index.
    expect(withoutCache(await other.tree())).toEqual(withoutCache(await env.tree()));
  });
});

function withoutCache<T extends { path: string }>(entries: T[]): T[] {
  return entries.filter((e) => !e.path.includes('.ggen/cache/'));
}
