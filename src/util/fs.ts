// File helpers with user-facing errors: reading input files and writing atomically.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GgenError } from '../errors.js';
import { fsError } from './fs-errors.js';

export interface ReadTextOptions {
  /** Refuse empty files (after trimming whitespace). */
  allowEmpty?: boolean;
  /** What the file is, for messages ("RDF file", "template"). */
  what?: string;
}

function describeFsError(err: NodeJS.ErrnoException, file: string, what: string): GgenError {
  if (err.code === 'ENOENT') return new GgenError('E_IO', `${what} not found`, { at: { file }, hint: 'check the path', cause: err });
  if (err.code === 'EISDIR') return new GgenError('E_IO', `${what} is a directory, expected a file`, { at: { file }, cause: err });
  if (err.code === 'EACCES' || err.code === 'EPERM') return new GgenError('E_IO', `${what} is not readable (permission denied)`, { at: { file }, cause: err });
  return new GgenError('E_IO', `cannot read ${what}: ${err.message}`, { at: { file }, cause: err });
}

/** True when the bytes look binary (a NUL byte in the first 8 KiB, or invalid UTF-8). */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.length < bytes.length ? trimPartialUtf8(head) : head);
    return false;
  } catch {
    return true;
  }
}

function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  // A cut in the middle of a multi-byte character is not binary; drop up to 3 trailing bytes.
  let end = bytes.length;
  for (let i = 0; i < 3 && end > 0 && (bytes[end - 1]! & 0xc0) === 0x80; i++) end--;
  if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
  return bytes.subarray(0, end);
}

function checkText(bytes: Uint8Array, file: string, opts: ReadTextOptions): string {
  const what = opts.what ?? 'file';
  if (looksBinary(bytes)) throw new GgenError('E_IO', `${what} is binary, expected text`, { at: { file } });
  const text = Buffer.from(bytes).toString('utf8');
  if (!opts.allowEmpty && text.trim() === '') throw new GgenError('E_IO', `${what} is empty`, { at: { file } });
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads a UTF-8 text file, refusing directories, binary and (unless allowed) empty files. */
export async function readTextFile(file: string, opts: ReadTextOptions = {}): Promise<string> {
  const what = opts.what ?? 'file';
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    bytes = await readFile(file);
  } catch (err) {
    throw describeFsError(err as NodeJS.ErrnoException, file, what);
  }
  return checkText(bytes, file, opts);
}

export function readTextFileSync(file: string, opts: ReadTextOptions = {}): string {
  const what = opts.what ?? 'file';
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    bytes = readFileSync(file);
  } catch (err) {
    throw describeFsError(err as NodeJS.ErrnoException, file, what);
  }
  return checkText(bytes, file, opts);
}

function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes a file atomically: a temp file in the same directory, then rename over the target. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const tmp = tempNameFor(file);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, data, mode === undefined ? undefined : { mode });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw fsError(err, 'write', file);
  }
}

export function writeFileAtomicSync(file: string, data: string | Uint8Array, mode?: number): void {
  const tmp = tempNameFor(file);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
    renameSync(tmp, file);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw fsError(err, 'write', file);
  }
}
