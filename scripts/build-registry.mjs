// Builds registry-bundled/ (the default registry shipped inside the ggen package) from registry/packs/*.
// Deterministic: packs are packed reproducibly and `updated` comes from registry/registry.json,
// so rebuilding gives the same bytes. The output is not committed (it has its own .gitignore).
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { publishPack } = await import(new URL('../dist/index.mjs', import.meta.url).href);
const packsDir = join(root, 'registry', 'packs');
const out = join(root, 'registry-bundled');
const { updated } = JSON.parse(await readFile(join(root, 'registry', 'registry.json'), 'utf8'));

await rm(out, { recursive: true, force: true });
const dirs = (await readdir(packsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
for (const name of dirs) {
  if (!existsSync(join(packsDir, name, 'gpack.toml'))) continue;
  await publishPack(join(packsDir, name), { registry: out, updated });
}
// Keep the build output out of git, but not out of `npm pack` (an .npmignore overrides the .gitignore).
await writeFile(join(out, '.gitignore'), '*\n');
await writeFile(join(out, '.npmignore'), '.gitignore\n');
