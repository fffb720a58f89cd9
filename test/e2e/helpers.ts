// Shared helpers for the end-to-end suite: the built CLI, run inside cleanrooms (the public cleanroom API).
import { CleanroomEnv } from '../../src/cleanroom/index.js';

export { CleanroomEnv };
export { assertTreeMatchesGolden } from '../../src/cleanroom/index.js';

export const fixtures = new URL('./fixtures/', import.meta.url).pathname;
export const golden = new URL('./golden/', import.meta.url).pathname;

/** The names listed under "Commands:" in a help text (without `help`). */
export function commandsInHelp(help: string): string[] {
  const section = help.split(/^Commands:\n/m)[1];
  if (section === undefined) return [];
  const names: string[] = [];
  for (const line of section.split('\n')) {
    if (line.trim() === '' || /^\S/.test(line)) break;
    // `stats|status` lists a command with its alias; the first name is the command.
    const m = /^ {2}([^\s|]+)/.exec(line);
    if (m && m[1] !== 'help') names.push(m[1]!);
  }
  return names;
}

/** Every command path (`['graph', 'query']`, `['gen']`…) the CLI lists, leaves and groups alike. */
export async function listCommandPaths(env: CleanroomEnv): Promise<string[][]> {
  const out: string[][] = [];
  const visit = async (path: string[]): Promise<void> => {
    const r = await env.ggen([...path, '--help']);
    if (r.exitCode !== 0) throw new Error(`ggen ${path.join(' ')} --help exited ${r.exitCode}: ${r.stderr}`);
    // A help text for some other command (a parent's, for a name it did not know) must not be walked again.
    if (!r.stdout.startsWith(`Usage: ggen ${path.join(' ')}`.trimEnd()) || path.length > 4) throw new Error(`ggen ${path.join(' ')} --help printed the help of another command:\n${r.stdout.split('\n')[0]}`);
    const subs = commandsInHelp(r.stdout);
    if (path.length > 0) out.push(path);
    await Promise.all(subs.map((s) => visit([...path, s])));
  };
  await visit([]);
  return out.sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}
