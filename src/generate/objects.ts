// `.ggen/objects/`: what ggen last generated for each output, content-addressed: the base of a 3-way merge.
// A run stores its new texts in one pack (`<id>.pack` plus `<id>.idx.json`: hash → byte range) instead of a file
// each: creating thousands of files was a third of a cold run. Loose `<sha256>` files of older runs still read.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../util/fs.js';
import { sha256Hex } from '../util/hash.js';
import type { Receipt } from './receipt.js';
import { stateDir } from './state-dir.js';

const HASH = /^[0-9a-f]{64}$/;
const PACK_INDEX = /^([0-9a-f]{64})\.idx\.json$/;
/** More packs than this, or more than half their bytes unreferenced, and prune compacts them into one. */
const MAX_PACKS = 4;

export function objectsDir(root: string): string {
  return join(stateDir(root), 'objects');
}

interface PackedObject {
  pack: string;
  offset: number;
  length: number;
}

interface Store {
  loose: Set<string>;
  /** Pack path → its bytes, read whole on first use (a run that reads bases reads many from one pack). */
  bytes: Map<string, Buffer>;
  packed: Map<string, PackedObject>;
  /** Pack id → the hashes its index lists, and the pack's size. */
  packs: Map<string, { hashes: string[]; bytes: number }>;
}

const stores = new Map<string, { stamp: number; store: Store }>();

/** The store's listing and indexes, re-read only when the directory changed (merges read many bases in a row). */
function readStore(root: string): Store {
  const dir = objectsDir(root);
  const stamp = statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const cached = stores.get(dir);
  if (cached !== undefined && cached.stamp === stamp) return cached.store;
  const store = listStore(dir);
  stores.set(dir, { stamp, store });
  return store;
}

function listStore(dir: string): Store {
  const store: Store = { loose: new Set(), bytes: new Map(), packed: new Map(), packs: new Map() };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return store;
  }
  for (const name of names) {
    if (HASH.test(name)) {
      store.loose.add(name);
      continue;
    }
    const id = PACK_INDEX.exec(name)?.[1];
    if (id === undefined || !names.includes(`${id}.pack`)) continue;
    let entries: unknown;
    try {
      entries = (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { objects?: unknown }).objects;
    } catch {
      continue; // a damaged index: its objects are simply not there (merges fall back to "edited")
    }
    if (!Array.isArray(entries)) continue;
    const hashes: string[] = [];
    let bytes = 0;
    for (const e of entries) {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || !HASH.test(e[0]) || !Number.isInteger(e[1]) || !Number.isInteger(e[2])) continue;
      store.packed.set(e[0], { pack: join(dir, `${id}.pack`), offset: e[1] as number, length: e[2] as number });
      hashes.push(e[0]);
      bytes += e[2] as number;
    }
    store.packs.set(id, { hashes, bytes });
  }
  return store;
}

function readPacked(store: Store, object: PackedObject): string | undefined {
  let bytes = store.bytes.get(object.pack);
  if (bytes === undefined) {
    try {
      bytes = readFileSync(object.pack);
    } catch {
      return undefined;
    }
    store.bytes.set(object.pack, bytes);
  }
  if (object.offset + object.length > bytes.length) return undefined;
  return bytes.toString('utf8', object.offset, object.offset + object.length);
}

/** The stored text with this hash, or undefined when missing or not matching its hash (edited, corrupted). */
export function readObject(root: string, hash: string): string | undefined {
  if (!HASH.test(hash)) return undefined;
  const store = readStore(root);
  let text: string | undefined;
  const packed = store.packed.get(hash);
  if (packed !== undefined) text = readPacked(store, packed);
  else {
    try {
      text = readFileSync(join(objectsDir(root), hash), 'utf8');
    } catch {
      text = undefined;
    }
  }
  return text !== undefined && sha256Hex(text) === hash ? text : undefined;
}

/**
 * Writes the texts as one pack and its index, one text at a time (a run of 100k outputs must not hold a second
 * copy of them all), named by the pack's hash; returns the two files. The temporary file is in `created` first.
 */
function writePack(dir: string, texts: Map<string, string>, created: string[]): { id: string; objects: Array<[string, number, number]>; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.pack-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  created.push(tmp);
  const objects: Array<[string, number, number]> = [];
  const digest = createHash('sha256');
  const fd = openSync(tmp, 'wx');
  try {
    let offset = 0;
    for (const hash of [...texts.keys()].sort()) {
      const bytes = Buffer.from(texts.get(hash)!, 'utf8');
      writeSync(fd, bytes);
      digest.update(bytes);
      objects.push([hash, offset, bytes.length]);
      offset += bytes.length;
    }
  } finally {
    closeSync(fd);
  }
  const id = digest.digest('hex');
  const pack = join(dir, `${id}.pack`);
  const index = join(dir, `${id}.idx.json`);
  created.push(pack, index);
  renameSync(tmp, pack);
  writeFileAtomicSync(index, `${JSON.stringify({ ggenPack: 1, objects })}\n`);
  return { id, objects, bytes: objects.reduce((n, o) => n + o[2], 0) };
}

/**
 * Stores each text once under its hash (existing objects are not rewritten, so a no-op run writes nothing): the
 * new ones in one pack. Records the files it created in `created` (also on failure), so a failed run can remove
 * them again.
 */
export function storeObjects(root: string, texts: Iterable<string>, created: string[] = []): string[] {
  const store = readStore(root);
  const fresh = new Map<string, string>();
  for (const text of texts) {
    const hash = sha256Hex(text);
    if (!store.loose.has(hash) && !store.packed.has(hash)) fresh.set(hash, text);
  }
  if (fresh.size === 0) return created;
  const dir = objectsDir(root);
  stores.delete(dir);
  // Named by its content: a pack that already exists (left by a run that failed after writing it) is the same.
  const { id, objects, bytes } = writePack(dir, fresh, created);
  // The listing is known without reading back the index just written (100k entries for a large tree).
  const pack = join(dir, `${id}.pack`);
  for (const [hash, offset, length] of objects) store.packed.set(hash, { pack, offset, length });
  store.packs.set(id, { hashes: objects.map((o) => o[0]), bytes });
  const stamp = statSync(dir, { throwIfNoEntry: false })?.mtimeMs;
  if (stamp !== undefined) stores.set(dir, { stamp, store });
  return created;
}

/** The hashes a receipt still needs: every owned output's merge base. */
export function referencedObjects(receipt: Receipt): Set<string> {
  return new Set(receipt.outputs.filter((o) => o.kind === 'file').map((o) => o.base ?? o.hash));
}

/**
 * Removes objects the receipt no longer references, so the store stays the size of one generation: loose files
 * and packs holding nothing referenced are deleted; many packs, or mostly dead ones, are compacted into one.
 */
export function pruneObjects(root: string, keep: ReadonlySet<string>): void {
  const dir = objectsDir(root);
  const store = readStore(root);
  stores.delete(dir);
  for (const hash of store.loose) if (!keep.has(hash)) unlinkSync(join(dir, hash));
  const remove = (id: string) => {
    for (const f of [`${id}.idx.json`, `${id}.pack`]) { try { unlinkSync(join(dir, f)); } catch { /* already gone */ } }
  };
  let live = 0;
  let total = 0;
  for (const [id, pack] of store.packs) {
    const used = pack.hashes.filter((h) => keep.has(h));
    if (used.length === 0) remove(id);
    else {
      live += used.reduce((n, h) => n + store.packed.get(h)!.length, 0);
      total += pack.bytes;
    }
  }
  const remaining = [...store.packs].filter(([, p]) => p.hashes.some((h) => keep.has(h)));
  if (remaining.length <= 1 && live * 2 >= total) return;
  if (remaining.length <= MAX_PACKS && live * 2 >= total) return;
  // Compact: one new pack with what is still referenced (written before the old ones go, so a kill loses nothing).
  const texts = new Map<string, string>();
  for (const [, pack] of remaining) {
    for (const h of pack.hashes) {
      if (!keep.has(h) || texts.has(h) || store.loose.has(h)) continue;
      const text = readPacked(store, store.packed.get(h)!);
      if (text !== undefined && sha256Hex(text) === h) texts.set(h, text);
    }
  }
  const written: string[] = [];
  try {
    writePack(dir, texts, written);
    for (const [id] of remaining) if (!written.includes(join(dir, `${id}.pack`))) remove(id);
  } catch {
    // Compaction is housekeeping: the old packs still hold everything.
    for (const f of written) if (f.endsWith('.tmp')) rmSync(f, { force: true });
  }
}
