// Reading RDF files: empty documents are valid (0 triples) and control characters may sit in
// literals, so only bytes that are not UTF-8 count as binary.
import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { GgenError } from '../errors.js';

function fsError(err: NodeJS.ErrnoException, file: string): GgenError {
  if (err.code === 'ENOENT') return new GgenError('E_IO', 'RDF file not found', { at: { file }, hint: 'check the path', cause: err });
  if (err.code === 'EISDIR') return new GgenError('E_IO', 'RDF file is a directory, expected a file', { at: { file }, cause: err });
  if (err.code === 'EACCES' || err.code === 'EPERM') return new GgenError('E_IO', 'RDF file is not readable (permission denied)', { at: { file }, cause: err });
  return new GgenError('E_IO', `cannot read RDF file: ${err.message}`, { at: { file }, cause: err });
}

/** The text of an RDF file (BOM dropped); refuses directories and bytes that are not UTF-8. */
export function readRdfFileSync(file: string): string {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    bytes = readFileSync(file);
  } catch (err) {
    throw fsError(err as NodeJS.ErrnoException, file);
  }
  if (!isUtf8(bytes)) throw new GgenError('E_IO', 'RDF file is binary, expected UTF-8 text', { at: { file } });
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
