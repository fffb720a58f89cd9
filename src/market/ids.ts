// Pack ids, `ID@RANGE` specs and `PACK_ID:path` template references: parsed and validated before any file operation.
import semver from 'semver';
import { GgenError } from '../errors.js';

const PACK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Why `id` is not a valid pack id, or undefined when it is. */
export function packIdProblem(id: string): string | undefined {
  if (id === '') return 'pack id is empty';
  if (/[\u0000-\u001f\u007f]/.test(id)) return 'pack id contains a control character';
  if (id.includes('/') || id.includes('\\')) return 'pack id contains a path separator';
  if (id.includes('..')) return 'pack id contains ".."';
  if (id.startsWith('.')) return 'pack id starts with "."';
  if (id.length > 200) return 'pack id is longer than 200 characters';
  if (!PACK_ID.test(id)) return 'pack id may only contain letters, digits, ".", "-" and "_"';
  return undefined;
}

/** Throws E_PACK when `id` is not a safe pack id (it becomes a path component in caches). */
export function assertPackId(id: string, where?: string): void {
  const problem = packIdProblem(id);
  if (problem !== undefined) {
    throw new GgenError('E_PACK', `invalid pack id ${JSON.stringify(id)}: ${problem}`, {
      at: where === undefined ? undefined : { file: where },
      hint: 'pack ids look like "io.ggen.typescript.types" (letters, digits, ".", "-", "_")',
    });
  }
}

/** Throws E_PACK when `version` is not a strict semver version. */
export function assertPackVersion(version: string, id: string, where?: string): void {
  if (semver.valid(version) === null || version.startsWith('v')) {
    throw new GgenError('E_PACK', `invalid version ${JSON.stringify(version)} for pack "${id}": expected semver like 1.2.3`, {
      at: where === undefined ? undefined : { file: where },
    });
  }
}

export interface PackSpec {
  id: string;
  /** The semver range asked for; undefined means "any" (latest stable, else latest). */
  range?: string;
}

/** Parses `ID`, `ID@1.2.3` or `ID@^1.2` (split at the last `@`). */
export function parsePackSpec(spec: string): PackSpec {
  const at = spec.lastIndexOf('@');
  const id = at < 0 ? spec : spec.slice(0, at);
  const range = at < 0 ? undefined : spec.slice(at + 1).trim();
  if (id === '') throw new GgenError('E_USAGE', `invalid gpack spec "${spec}": the pack id is empty`, { hint: 'expected ID or ID@RANGE, e.g. io.ggen.typescript.types@^1.0' });
  assertPackId(id);
  if (range !== undefined) {
    if (range === '') throw new GgenError('E_USAGE', `invalid gpack spec "${spec}": the version range after "@" is empty`, { hint: 'expected ID@RANGE, e.g. io.ggen.typescript.types@^1.0' });
    if (semver.validRange(range) === null) throw new GgenError('E_USAGE', `invalid version range "${range}" in "${spec}"`, { hint: 'use a semver range like 1.2.3, ^1.2, ~1.2.0 or >=1 <2' });
  }
  return range === undefined ? { id } : { id, range };
}

export interface TemplateRef {
  packId: string;
  /** Path inside the pack, or undefined for "all the pack's templates". */
  path?: string;
}

/** True when `ref` looks like `PACK_ID` or `PACK_ID:path` rather than a file path. */
export function looksLikePackReference(ref: string): boolean {
  const colon = ref.indexOf(':');
  const id = colon < 0 ? ref : ref.slice(0, colon);
  return packIdProblem(id) === undefined && id.includes('.') && !/\.(tmpl|tera|ttl|j2|njk)$/.test(id);
}

/** Parses `PACK_ID` or `PACK_ID:path/in/pack.tmpl`, refusing `..`, absolute paths and backslashes. */
export function parseTemplateRef(ref: string): TemplateRef {
  const colon = ref.indexOf(':');
  const packId = colon < 0 ? ref : ref.slice(0, colon);
  if (packId === '') throw new GgenError('E_USAGE', `invalid template reference "${ref}": the pack id is empty`, { hint: 'expected PACK_ID:path/in/pack.tmpl' });
  assertPackId(packId);
  if (colon < 0) return { packId };
  const raw = ref.slice(colon + 1);
  if (raw === '') throw new GgenError('E_USAGE', `invalid template reference "${ref}": the template path is empty`, { hint: 'expected PACK_ID:path/in/pack.tmpl, or PACK_ID for all its templates' });
  if (raw.includes('\\') || raw.includes('\u0000') || raw.includes(':')) throw new GgenError('E_USAGE', `invalid template path "${raw}" in "${ref}"`, { hint: 'use forward slashes and no ":"' });
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new GgenError('E_USAGE', `template path "${raw}" in "${ref}" must not contain ".."`, { hint: 'template paths are relative to the pack' });
  if (parts.length === 0) throw new GgenError('E_USAGE', `invalid template reference "${ref}": the template path is empty`);
  return { packId, path: parts.join('/') };
}
