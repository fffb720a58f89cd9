// `ggen market …`: find, install, verify, pack, publish and serve gpacks. Actions load src/market lazily.
import type { Command } from 'commander';
import { GgenError } from '../errors.js';
import { outputFor, paint, type Output } from './output.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `market search --order` values (shell completion offers these). */
export const SEARCH_ORDERS = ['asc', 'desc'] as const;

interface SourceFlags {
  registry?: string[];
  offline?: boolean;
}

function withSources(cmd: Command): Command {
  return cmd
    .option('--registry <url>', 'registry URL or directory (repeatable; overrides GGEN_REGISTRY_URL and ggen.toml)', collect)
    .option('--offline', 'use only the cached indexes and packs');
}

const market = () => import('../market/index.js');

type ProgressEvent = { type: 'plan'; fetches: number } | { type: 'fetch' | 'stored'; id: string; version: string };

/** Download progress: a bar on an interactive terminal, one line per pack otherwise (none with --quiet/--json). */
async function progress(out: Output): Promise<{ onEvent: (e: ProgressEvent) => void; done: () => void }> {
  if (!out.interactive) {
    return { onEvent: (e) => { if (e.type === 'fetch') out.info(`fetching ${e.id}@${e.version}`); }, done: () => undefined };
  }
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({ format: 'gpacks {bar} {value}/{total} {name}', stream: process.stderr, clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onEvent: (e) => {
      if (e.type === 'plan' && e.fetches > 0) { bar.start(e.fetches, 0, { name: '' }); started = true; }
      else if (e.type === 'fetch' && started) bar.update({ name: `${e.id}@${e.version}` });
      else if (e.type === 'stored' && started) bar.increment(1, { name: `${e.id}@${e.version}` });
    },
    done: () => { if (started) bar.stop(); },
  };
}

function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new GgenError('E_USAGE', `invalid --limit "${raw}"`, { hint: 'a whole number from 0 to 100' });
  if (n > 100) throw new GgenError('E_USAGE', 'result limit too high (max 100)', { hint: 'use --limit 100 or less' });
  return n;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function printChanges(out: Output, changes: Array<{ id: string; from?: string; to?: string }>, verb: { add: string; change: string; remove: string }): void {
  for (const c of changes) {
    if (c.from === undefined) out.out(`${verb.add} ${c.id}@${c.to}`);
    else if (c.to === undefined) out.out(`${verb.remove} ${c.id}@${c.from}`);
    else out.out(`${verb.change} ${c.id} ${c.from} -> ${c.to}`);
  }
}

export function registerMarket(program: Command): void {
  const group = program
    .command('market')
    .description('find, install, verify, pack, publish and serve gpacks (template packs)')
    .addHelpText('after', `
Examples:
  $ ggen market search typescript --category typescript
  $ ggen market add io.ggen.typescript.types@^1.0
  $ ggen market list --json
  $ ggen market update --dry-run
  $ ggen market pack ./my-pack --out dist/
  $ ggen market publish ./my-pack --registry file:///srv/registry/
  $ ggen market serve /srv/registry --port 8080
  $ ggen project gen io.ggen.typescript.types --graph model.ttl
  $ ggen gen io.ggen.sql.ddl:schema.sql.tmpl --graph model.ttl

Registries: --registry URL (repeatable), else GGEN_REGISTRY_URL (comma-separated), else
[market] registries in ggen.toml, else the registry bundled with ggen. Cache: GGEN_CACHE_DIR,
else $XDG_CACHE_HOME/ggen or ~/.cache/ggen.`);

  withSources(group.command('search').argument('[query]', 'words to look for (typos are tolerated); empty lists everything'))
    .description('search the registries')
    .option('--category <name>', 'only packs in this category')
    .option('--keyword <word>', 'only packs with this keyword or tag')
    .option('--author <name>', 'only packs whose author contains this')
    .option('--license <spdx>', 'only packs with this license')
    .option('--min-downloads <n>', 'only packs with at least N downloads')
    .option('--sort <field>', 'relevance | downloads | name | updated', 'relevance')
    .option('--order <dir>', `${SEARCH_ORDERS.join(' | ')} (default: best, most or newest first; names A→Z)`)
    .option('--limit <n>', 'at most N results (max 100)', '10')
    .option('--detailed', 'show every field of each result')
    .addHelpText('after', '\nExamples:\n  $ ggen market search "typescript types"\n  $ ggen market search --category rust --sort downloads\n  $ ggen market search pyton --json')
    .action(async (query: string | undefined, flags: SourceFlags & { category?: string; keyword?: string; author?: string; license?: string; minDownloads?: string; sort: string; order?: string; limit?: string; detailed?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const { searchPacks, SEARCH_SORTS } = await market();
      if (!(SEARCH_SORTS as string[]).includes(flags.sort)) throw new GgenError('E_USAGE', `invalid --sort "${flags.sort}"`, { hint: `one of: ${SEARCH_SORTS.join(', ')}` });
      if (flags.order !== undefined && !(SEARCH_ORDERS as readonly string[]).includes(flags.order)) throw new GgenError('E_USAGE', `invalid --order "${flags.order}"`, { hint: 'asc or desc' });
      const minDownloads = flags.minDownloads === undefined ? undefined : Number(flags.minDownloads);
      if (minDownloads !== undefined && (!Number.isInteger(minDownloads) || minDownloads < 0)) throw new GgenError('E_USAGE', `invalid --min-downloads "${flags.minDownloads}"`, { hint: 'a whole number ≥ 0' });
      const results = await searchPacks(query ?? '', { projectRoot: process.cwd(), registries: flags.registry, offline: flags.offline, category: flags.category, keyword: flags.keyword, author: flags.author, license: flags.license, minDownloads, sort: flags.sort as 'relevance', order: flags.order as 'asc' | undefined, limit: parseLimit(flags.limit) });
      if (out.json) return out.outJson(results);
      if (results.length === 0) return out.out(`No gpacks found matching "${query ?? ''}"`);
      if (flags.detailed) {
        const blocks = results.map((r) => [
          r.id,
          `  Name:        ${r.name}`,
          `  Description: ${r.description}`,
          `  Version:     ${r.latest_version}`,
          ...(r.category ? [`  Category:    ${r.category}`] : []),
          ...(r.author ? [`  Author:      ${r.author}`] : []),
          ...(r.license ? [`  License:     ${r.license}`] : []),
          ...(r.tags.length ? [`  Tags:        ${r.tags.join(', ')}`] : []),
          ...(r.keywords.length ? [`  Keywords:    ${r.keywords.join(', ')}`] : []),
          ...(r.downloads !== undefined ? [`  Downloads:   ${r.downloads}`] : []),
          `  Install:     ggen market add ${r.id}`,
        ].join('\n'));
        return out.out(blocks.join('\n\n'));
      }
      const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
      out.out(table([['ID', 'VERSION', 'DESCRIPTION'], ...results.map((r) => [r.id, r.latest_version, cut(r.description, 60)])]));
    });

  const runAdd = async (specs: string[], flags: SourceFlags, cmd: Command) => {
    const out = outputFor(cmd);
    const { addPacks } = await market();
    const bar = await progress(out);
    const result = await addPacks(specs, { projectRoot: process.cwd(), registries: flags.registry, offline: flags.offline, onEvent: bar.onEvent }).finally(bar.done);
    if (out.json) return out.outJson({ changes: result.changes, unchanged: result.unchanged, lockfile_written: result.lockfileWritten });
    printChanges(out, result.changes, { add: 'added', change: 'updated', remove: 'removed' });
    for (const u of result.unchanged) out.out(`gpack "${u.id}" is already installed (${u.version})`);
  };

  withSources(group.command('add').argument('<gpack...>', 'pack ids, each optionally with @RANGE'))
    .description('install packs (with their dependencies) into this project; writes ggen.lock')
    .addHelpText('after', '\nExamples:\n  $ ggen market add io.ggen.typescript.types\n  $ ggen market add io.ggen.rust.structs@^1.0 io.ggen.sql.ddl@1.0.0')
    .action(runAdd);

  group.command('remove').argument('<gpack>', 'pack id')
    .description('remove a pack (and dependencies nothing else needs) from ggen.lock')
    .addHelpText('after', '\nExamples:\n  $ ggen market remove io.ggen.typescript.types')
    .action(async (id: string, _flags: unknown, cmd: Command) => {
      const out = outputFor(cmd);
      const { removePack } = await market();
      const result = await removePack(id, { projectRoot: process.cwd() });
      if (out.json) return out.outJson({ changes: result.changes });
      printChanges(out, result.changes, { add: 'added', change: 'updated', remove: 'removed' });
      for (const u of result.unchanged) out.out(`${u.id}@${u.version} stays installed as a dependency of another pack`);
    });

  group.command('list')
    .description('list the packs in ggen.lock')
    .option('--detailed', 'also show integrity, tarball, dependencies and signer')
    .addHelpText('after', '\nExamples:\n  $ ggen market list\n  $ ggen market list --json')
    .action(async (flags: { detailed?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const { listInstalledPacks } = await market();
      const packs = await listInstalledPacks(process.cwd());
      if (out.json) return out.outJson(packs);
      if (packs.length === 0) return out.out('No gpacks installed');
      if (flags.detailed) {
        return out.out(packs.map((p) => [
          `${p.id}@${p.version}${p.direct ? `  (requested ${p.requested})` : '  (dependency)'}`,
          `  Integrity:    ${p.integrity}`,
          `  Source:       ${p.source}`,
          ...(p.resolved ? [`  Tarball:      ${p.resolved}`] : []),
          `  Dependencies: ${p.dependencies.length ? p.dependencies.join(', ') : 'none'}`,
          ...(p.signed_by ? [`  Signed by:    ${p.signed_by}`] : []),
        ].join('\n')).join('\n\n'));
      }
      out.out(table([['ID', 'VERSION', 'KIND', 'SOURCE'], ...packs.map((p) => [p.id, p.version, p.direct ? 'direct' : 'dependency', p.source])]));
    });

  withSources(group.command('update').argument('[gpack]', 'only this pack (default: all)'))
    .description('move packs to the newest versions their ranges allow')
    .option('--dry-run', 'show what would change without installing or writing ggen.lock')
    .addHelpText('after', '\nExamples:\n  $ ggen market update --dry-run\n  $ ggen market update io.ggen.typescript.types')
    .action(async (id: string | undefined, flags: SourceFlags & { dryRun?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const { updatePacks, listInstalledPacks } = await market();
      if (id === undefined && (await listInstalledPacks(process.cwd())).length === 0) {
        if (out.json) return out.outJson({ changes: [], dry_run: flags.dryRun === true });
        return out.out('No gpacks to update (none installed)');
      }
      const bar = await progress(out);
      const result = await updatePacks(id, { projectRoot: process.cwd(), registries: flags.registry, offline: flags.offline, dryRun: flags.dryRun, onEvent: bar.onEvent }).finally(bar.done);
      if (out.json) return out.outJson({ changes: result.changes, dry_run: flags.dryRun === true });
      if (result.changes.length === 0) return out.out('All gpacks are up to date');
      const p = flags.dryRun ? 'would ' : '';
      printChanges(out, result.changes, { add: `${p}add`, change: `${p}update`, remove: `${p}remove` });
    });

  withSources(group.command('info').argument('<gpack>', 'pack id'))
    .description('show a pack: versions, dependencies, templates, size')
    .addHelpText('after', '\nExamples:\n  $ ggen market info io.ggen.typescript.types')
    .action(async (id: string, flags: SourceFlags, cmd: Command) => {
      const out = outputFor(cmd);
      const { packInfo } = await market();
      const info = await packInfo(id, { projectRoot: process.cwd(), registries: flags.registry, offline: flags.offline });
      if (out.json) return out.outJson({ ...info.pack, registry: info.registry, installed: info.installed ?? null });
      const p = info.pack;
      const l = info.latest;
      const lines = [
        `${p.id}  ${p.name}`,
        `  Description:  ${p.description}`,
        `  Latest:       ${p.latest_version}${info.installed ? `  (installed: ${info.installed})` : ''}`,
        `  Versions:     ${info.versions.map((v) => v.version + (v.yanked ? ' (yanked)' : '')).join(', ')}`,
        ...(p.category ? [`  Category:     ${p.category}`] : []),
        ...(p.author ? [`  Author:       ${p.author}`] : []),
        ...(p.license ? [`  License:      ${p.license}`] : []),
        ...(p.tags.length ? [`  Tags:         ${p.tags.join(', ')}`] : []),
        ...(p.keywords.length ? [`  Keywords:     ${p.keywords.join(', ')}`] : []),
        ...(p.homepage ? [`  Homepage:     ${p.homepage}`] : []),
        ...(p.repository ? [`  Repository:   ${p.repository}`] : []),
        `  Dependencies: ${l && Object.keys(l.dependencies).length ? Object.entries(l.dependencies).map(([d, r]) => `${d} ${r}`).join(', ') : 'none'}`,
        ...(l?.size !== undefined ? [`  Size:         ${formatBytes(l.size)} packed${l.unpacked_size !== undefined ? `, ${formatBytes(l.unpacked_size)} unpacked` : ''}${l.file_count !== undefined ? `, ${l.file_count} files` : ''}`] : []),
        ...(l?.signature ? [`  Signed by:    ${l.signature.key} (ml-dsa-65)`] : ['  Signed:       no']),
        ...(l?.templates?.length ? ['  Templates:', ...l.templates.map((t) => `    ${p.id}:${t.replace(/^templates\//, '')}`)] : []),
        `  Registry:     ${info.registry}`,
      ];
      out.out(lines.join('\n'));
    });

  withSources(group.command('categories'))
    .description('list categories with their pack counts')
    .addHelpText('after', '\nExamples:\n  $ ggen market categories\n  $ ggen market categories --json')
    .action(async (flags: SourceFlags, cmd: Command) => {
      const out = outputFor(cmd);
      const { listCategories } = await market();
      const cats = await listCategories({ projectRoot: process.cwd(), registries: flags.registry, offline: flags.offline });
      if (out.json) return out.outJson(cats);
      if (cats.length === 0) return out.out('No categories found');
      out.out(cats.map((c) => `${c.category} (${c.count} pack${c.count === 1 ? '' : 's'})`).join('\n'));
    });

  const cache = group.command('cache').description('inspect, verify or clean the pack cache')
    .addHelpText('after', '\nExamples:\n  $ ggen market cache stats\n  $ ggen market cache verify\n  $ ggen market cache clean');
  cache.command('stats').alias('status').description('cache location, entry counts and size').action(async (_f: unknown, cmd: Command) => {
    const out = outputFor(cmd);
    const { cacheStats } = await market();
    const s = await cacheStats();
    if (out.json) return out.outJson(s);
    out.out([`Cache:     ${s.root}`, `Indexes:   ${s.indexes}`, `Tarballs:  ${s.tarballs}`, `Packs:     ${s.packs}`, `Size:      ${formatBytes(s.bytes)}`].join('\n'));
  });
  cache.command('clean').alias('clear').description('delete every cached index, tarball and extracted pack').action(async (_f: unknown, cmd: Command) => {
    const out = outputFor(cmd);
    const { cleanCache, marketCacheRoot } = await market();
    const freed = await cleanCache();
    if (out.json) return out.outJson({ freed_bytes: freed, root: marketCacheRoot() });
    out.out(`Cleaned ${marketCacheRoot()} (${formatBytes(freed)} freed)`);
  });
  cache.command('verify').alias('validate').description('re-hash cached tarballs and extracted files').option('--fix', 'delete broken entries (they are fetched again on the next add)')
    .action(async (flags: { fix?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const { verifyCache } = await market();
      const r = await verifyCache(undefined, { fix: flags.fix });
      if (r.problems.length > 0) process.exitCode = 1;
      if (out.json) return out.outJson(r);
      for (const p of r.problems) out.out(`corrupt: ${p.path}: ${p.problem}${flags.fix ? ' (removed)' : ''}`);
      out.out(r.problems.length === 0 ? `${r.checked} cache entries verified, all intact` : `${r.problems.length} problem(s) in ${r.checked} cache entries${flags.fix ? '' : ' (run with --fix to remove them)'}`);
    });

  group.command('pack').argument('<dir>', 'pack directory (holds gpack.toml)')
    .description('build a deterministic tarball of a pack and its registry index entry')
    .option('--out <dir>', 'where to write <id>-<version>.tgz and its .json entry', '.')
    .option('--sign <keyfile>', 'sign with this ML-DSA-65 secret key (from `ggen market keygen`)')
    .addHelpText('after', '\nExamples:\n  $ ggen market pack ./my-pack --out dist/\n  $ ggen market pack ./my-pack --sign ~/.config/ggen/signing.key')
    .action(async (dir: string, flags: { out: string; sign?: string }, cmd: Command) => {
      const out = outputFor(cmd);
      const { packDirectory } = await market();
      const { writeFileAtomic } = await import('../util/fs.js');
      const r = await packDirectory(dir, { outDir: flags.out, signKey: flags.sign });
      const entryFile = r.tarballFile.replace(/\.tgz$/, '.json');
      await writeFileAtomic(entryFile, `${JSON.stringify(r.entry, null, 2)}\n`);
      if (out.json) return out.outJson({ id: r.id, version: r.version, tarball: r.tarballFile, entry_file: entryFile, entry: r.entry });
      out.out([`packed ${r.id}@${r.version}`, `  tarball:   ${r.tarballFile} (${formatBytes(r.entry.size ?? 0)}, ${r.entry.file_count} files)`, `  integrity: ${r.integrity}`, `  entry:     ${entryFile}`, ...(r.entry.signature ? [`  signed by: ${r.entry.signature.key}`] : [])].join('\n'));
    });

  group.command('publish').argument('<dir>', 'pack directory (holds gpack.toml)')
    .description('pack a directory and add it to a directory registry (index.json + packs/)')
    .requiredOption('--registry <url>', 'target directory registry (file:///path/ or a path)')
    .option('--sign <keyfile>', 'sign with this ML-DSA-65 secret key')
    .option('--force', 'replace an already published version (published versions should be immutable)')
    .addHelpText('after', '\nExamples:\n  $ ggen market publish ./my-pack --registry file:///srv/registry/\n  $ ggen market publish ./my-pack --registry ./registry --sign team.key')
    .action(async (dir: string, flags: { registry: string; sign?: string; force?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const { publishPack } = await market();
      const r = await publishPack(dir, { registry: flags.registry, signKey: flags.sign, force: flags.force, updated: process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).toISOString() : undefined });
      if (out.json) return out.outJson({ id: r.id, version: r.version, registry: r.registryDir, tarball: r.tarballFile, integrity: r.integrity, changed: r.changed });
      out.out(r.changed ? `published ${r.id}@${r.version} to ${r.registryDir}` : `${r.id}@${r.version} is already published in ${r.registryDir} (identical content)`);
    });

  group.command('keygen')
    .description('create an ML-DSA-65 signing key pair (secret file + .pub)')
    .option('--out <file>', 'secret key file (the public key goes to FILE.pub)', 'ggen-signing.key')
    .option('--force', 'overwrite existing key files')
    .addHelpText('after', '\nExamples:\n  $ ggen market keygen --out team.key\n  $ ggen market publish ./pack --registry ./registry --sign team.key')
    .action(async (flags: { out: string; force?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const { generateSigningKey } = await market();
      const k = await generateSigningKey(flags.out, { force: flags.force });
      if (out.json) return out.outJson({ secret_key: k.secretFile, public_key_file: k.publicFile, fingerprint: k.fingerprint });
      out.out([`secret key:  ${k.secretFile} (keep it private)`, `public key:  ${k.publicFile}`, `fingerprint: ${k.fingerprint}`, '', 'To require this key, add to the consuming project\'s ggen.toml:', '  [market]', `  trusted_keys = ["${k.publicFile}"]`].join('\n'));
    });

  group.command('serve').argument('<dir>', 'directory registry to serve')
    .description('serve a directory registry over HTTP (ETag, Last-Modified, byte ranges)')
    .option('--port <n>', 'port (0 picks a free one)', '8080')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .addHelpText('after', '\nExamples:\n  $ ggen market serve ./registry --port 8080\n  $ GGEN_REGISTRY_URL=http://127.0.0.1:8080/ ggen market search rust')
    .action(async (dir: string, flags: { port: string; host: string }, cmd: Command) => {
      const out = outputFor(cmd);
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GgenError('E_USAGE', `invalid --port "${flags.port}"`, { hint: 'a number from 0 to 65535' });
      const { serveRegistry } = await market();
      const server = await serveRegistry(dir, { port, host: flags.host, onRequest: (r) => out.debug(`${r.method} ${r.path} ${r.status}`) });
      out.out(`serving ${dir} at ${server.url}`);
      await new Promise<void>((resolve) => {
        const stop = () => { void server.close().then(resolve); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  group.command('test').argument('<gpack>', 'an installed pack id')
    .description("run an installed pack's own scenarios (tests/*.toml) in cleanrooms that have the pack installed")
    .option('-j, --jobs <n>', 'scenarios run at once', '1')
    .addHelpText('after', '\nExamples:\n  $ ggen market add io.ggen.sql.ddl && ggen market test io.ggen.sql.ddl\n  $ ggen market test io.ggen.sql.ddl --json')
    .action(async (id: string, flags: { jobs: string }, cmd: Command) => {
      const out = outputFor(cmd);
      const jobs = Number(flags.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new GgenError('E_USAGE', `invalid --jobs "${flags.jobs}"`, { hint: 'a whole number ≥ 1' });
      const { planPackTests } = await market();
      const plan = await planPackTests(id, { projectRoot: process.cwd() });
      const { runScenarioFiles, formatScenarioReport, scenarioReportJson } = await import('../cleanroom/index.js');
      const report = await runScenarioFiles([plan.testsDir], {
        concurrency: jobs,
        config: { logger: (line) => out.info(line) },
        // Each cleanroom installs the pack from its locked source, verified against the lock's integrity.
        setup: async (room) => {
          await room.writeFile('ggen.lock', plan.lockText);
          const r = await room.ggen(['market', 'install', '--quiet']);
          if (r.exitCode !== 0) throw new GgenError('E_PACK', `installing ${id} in the cleanroom failed: ${r.stderr.trim()}`);
        },
      });
      if (out.json) out.outJson(scenarioReportJson(report));
      else out.out(formatScenarioReport(report, { paint: paint(out.color) }));
      if (!report.passed) process.exitCode = 1;
    });

  withSources(group.command('install').argument('[gpack...]', 'pack ids to add (then it is `market add`)'))
    .description('without ids: fetch every pack of ggen.lock into the cache (verified against the lock), e.g. after a fresh clone; with ids: same as `market add`')
    .addHelpText('after', '\nExamples:\n  $ ggen market install\n  $ ggen market install io.ggen.sql.ddl')
    .action(async (specs: string[], flags: SourceFlags, cmd: Command) => {
      if (specs.length > 0) return runAdd(specs, flags, cmd);
      const out = outputFor(cmd);
      const { installFromLock } = await market();
      const bar = await progress(out);
      const r = await installFromLock({ projectRoot: process.cwd(), offline: flags.offline, onEvent: bar.onEvent }).finally(bar.done);
      if (out.json) return out.outJson(r);
      out.out(`${r.fetched.length} fetched, ${r.present.length} already in the cache`);
    });
}
