// Deterministic .tgz writer (sorted, fixed mtime/uid/gid/modes, gzip without timestamp) and a safe in-memory reader.
import { gunzipSync, gzipSync } from 'node:zlib';
import { posix } from 'node:path';
import { GgenError } from '../errors.js';

/** Fixed mtime of every entry (npm uses the same date), so packing twice gives the same bytes. */
export const FIXED_MTIME = Math.floor(Date.UTC(1985, 9, 26, 8, 15, 0) / 1000);

export interface TarInput {
  /** Path inside the archive, `/`-separated. */
  path: string;
  type?: 'file' | 'directory' | 'symlink' | 'hardlink';
  data?: Uint8Array;
  mode?: number;
  linkpath?: string;
}

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new GgenError('E_PACK', `tar header field too long: ${value}`);
  bytes.copy(buf, offset);
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  writeString(buf, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function splitUstarPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new GgenError('E_PACK', `path too long for a tar entry: ${path}`, { hint: 'keep pack paths under 255 bytes' });
}

function header(entry: TarInput, size: number): Buffer {
  const buf = Buffer.alloc(512);
  const type = entry.type ?? 'file';
  const { name, prefix } = splitUstarPath(type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path);
  writeString(buf, 0, 100, name);
  writeOctal(buf, 100, 8, entry.mode ?? (type === 'directory' ? 0o755 : 0o644));
  writeOctal(buf, 108, 8, 0);
  writeOctal(buf, 116, 8, 0);
  writeOctal(buf, 124, 12, size);
  writeOctal(buf, 136, 12, FIXED_MTIME);
  buf.fill(0x20, 148, 156);
  buf.write({ file: '0', directory: '5', symlink: '2', hardlink: '1' }[type], 156, 'latin1');
  if (entry.linkpath !== undefined) writeString(buf, 157, 100, entry.linkpath);
  buf.write('ustar\u000000', 257, 'latin1');
  writeString(buf, 345, 155, prefix);
  let sum = 0;
  for (const b of buf) sum += b;
  writeString(buf, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return buf;
}

/** Builds a gzipped tar of the entries exactly as given (callers sort them). No safety checks: tests use it to craft bad archives. */
export function writeTarGz(entries: TarInput[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === undefined || e.type === 'file' ? Buffer.from(e.data ?? new Uint8Array()) : Buffer.alloc(0);
    parts.push(header(e, data.length), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  const gz = gzipSync(Buffer.concat(parts), { level: 9 });
  // The gzip header's mtime is already 0; pin the OS byte so archives match across platforms.
  gz[9] = 3;
  return gz;
}

export interface PackFile {
  /** Path relative to the pack root. */
  path: string;
  data: Buffer;
  mode: number;
}

export interface ReadTarOptions {
  maxUnpackedBytes?: number;
  maxEntries?: number;
}

function readString(buf: Buffer, offset: number, length: number): string {
  const slice = buf.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? length : end).toString('utf8');
}

function readOctal(buf: Buffer, offset: number, length: number): number {
  const text = readString(buf, offset, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number.parseInt(data.subarray(i, space).toString('utf8'), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

/** Normalises an archive path and strips the top-level folder (`package/`); refuses anything that could escape. */
function safeRelative(raw: string, what: string): string | undefined {
  const refuse = (why: string): never => {
    throw new GgenError('E_INTEGRITY', `unsafe tarball: ${what} "${raw}" ${why}`, { hint: 'the pack was refused and nothing was installed' });
  };
  if (raw.includes('\0')) refuse('contains a NUL byte');
  if (raw.includes('\\')) refuse('contains a backslash');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) refuse('is an absolute path');
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) refuse('contains ".."');
  if (parts.length <= 1) return undefined; // the top-level folder itself
  return parts.slice(1).join('/');
}

/**
 * Reads a .tgz fully in memory and returns its regular files (top folder stripped).
 * Refuses absolute paths, "..", links that leave the pack or point at no file, devices, and oversized archives.
 * Links are materialised as copies, so extraction never creates a link on disk.
 */
export function readPackTarball(gz: Uint8Array, opts: ReadTarOptions = {}): PackFile[] {
  const maxBytes = opts.maxUnpackedBytes ?? 512 * 1024 * 1024;
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: maxBytes + 1024 * 1024 });
  } catch (err) {
    throw new GgenError('E_INTEGRITY', `tarball is not a valid gzip archive or is too large: ${(err as Error).message}`, { cause: err });
  }
  const files = new Map<string, PackFile>();
  const links: Array<{ path: string; target: string; raw: string }> = [];
  let offset = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let count = 0;
  let total = 0;
  while (offset + 512 <= tar.length) {
    const h = tar.subarray(offset, offset + 512);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (sum !== readOctal(h, 148, 8)) throw new GgenError('E_INTEGRITY', `tarball header checksum mismatch at byte ${offset}`);
    const type = String.fromCharCode(h[156]!) || '0';
    const size = pax.size !== undefined ? Number.parseInt(pax.size, 10) : readOctal(h, 124, 12);
    const dataStart = offset + 512;
    if (dataStart + size > tar.length) throw new GgenError('E_INTEGRITY', 'tarball is truncated');
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / 512) * 512;
    if (++count > (opts.maxEntries ?? 100_000)) throw new GgenError('E_INTEGRITY', 'tarball has too many entries');
    if (type === 'x') { pax = parsePax(data); continue; }
    if (type === 'g') continue;
    if (type === 'L') { longName = readString(data, 0, data.length); continue; }
    if (type === 'K') { longLink = readString(data, 0, data.length); continue; }
    const prefix = readString(h, 345, 155);
    const rawPath = pax.path ?? longName ?? (prefix ? `${prefix}/${readString(h, 0, 100)}` : readString(h, 0, 100));
    const rawLink = pax.linkpath ?? longLink ?? readString(h, 157, 100);
    pax = {};
    longName = undefined;
    longLink = undefined;
    const rel = safeRelative(rawPath, 'entry');
    if (type === '5') continue;
    if (rel === undefined) throw new GgenError('E_INTEGRITY', `unsafe tarball: entry "${rawPath}" is not inside the pack folder`);
    if (type === '0' || type === '\0' || type === '7') {
      if (files.has(rel)) throw new GgenError('E_INTEGRITY', `tarball lists "${rel}" twice`);
      total += size;
      if (total > maxBytes) throw new GgenError('E_INTEGRITY', `tarball unpacks to more than ${maxBytes} bytes`);
      files.set(rel, { path: rel, data: Buffer.from(data), mode: readOctal(h, 100, 8) & 0o111 ? 0o755 : 0o644 });
    } else if (type === '2' || type === '1') {
      if (rawLink.startsWith('/') || /^[A-Za-z]:/.test(rawLink)) throw new GgenError('E_INTEGRITY', `unsafe tarball: link "${rawPath}" points outside the pack (absolute target "${rawLink}")`, { hint: 'the pack was refused and nothing was installed' });
      // Symlink targets are relative to the link's folder; hardlink targets to the archive root.
      const base = type === '2' ? posix.dirname(`package/${rel}`) : '';
      const joined = posix.normalize(type === '2' ? posix.join(base, rawLink) : rawLink);
      if (joined.startsWith('..') || joined.startsWith('/')) throw new GgenError('E_INTEGRITY', `unsafe tarball: link "${rawPath}" points outside the pack ("${rawLink}")`, { hint: 'the pack was refused and nothing was installed' });
      const target = safeRelative(joined, 'link target');
      if (target === undefined) throw new GgenError('E_INTEGRITY', `unsafe tarball: link "${rawPath}" points outside the pack ("${rawLink}")`, { hint: 'the pack was refused and nothing was installed' });
      links.push({ path: rel, target, raw: rawPath });
    } else {
      throw new GgenError('E_INTEGRITY', `unsafe tarball: entry "${rawPath}" has unsupported type "${type}" (devices and fifos are refused)`);
    }
  }
  for (const link of links) {
    const target = files.get(link.target);
    if (!target) throw new GgenError('E_INTEGRITY', `tarball link "${link.raw}" does not point at a file in the pack`);
    if (files.has(link.path)) throw new GgenError('E_INTEGRITY', `tarball lists "${link.path}" twice`);
    files.set(link.path, { ...target, path: link.path });
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
