// ML-DSA-65 (FIPS 204) pack signatures over "<id>:<version>:<integrity>", key files and fingerprints.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { GgenError } from '../errors.js';
import { sha256Hex } from '../util/hash.js';
import { writeFileAtomic } from '../util/fs.js';
import type { PackSignature } from './registry-index.js';

const SECRET_HEADER = 'ggen ml-dsa-65 secret key (seed)';
const PUBLIC_PREFIX = 'ml-dsa-65:';
const PUBLIC_KEY_BYTES = 1952;

export interface TrustedKey {
  fingerprint: string;
  publicKey: Uint8Array;
  /** Where the key was listed, for messages. */
  origin: string;
}

export function keyFingerprint(publicKey: Uint8Array): string {
  return sha256Hex(publicKey).slice(0, 16);
}

/** The text form of a public key, as written to `.pub` files and accepted in ggen.toml. */
export function formatPublicKey(publicKey: Uint8Array): string {
  return `${PUBLIC_PREFIX}${Buffer.from(publicKey).toString('base64')}`;
}

export function parsePublicKey(text: string, origin: string): TrustedKey {
  const t = text.trim();
  const b64 = t.startsWith(PUBLIC_PREFIX) ? t.slice(PUBLIC_PREFIX.length) : t;
  const bytes = Buffer.from(b64, 'base64');
  if (!/^[A-Za-z0-9+/]+=*$/.test(b64) || bytes.length !== PUBLIC_KEY_BYTES) {
    throw new GgenError('E_SIGNATURE', `not an ML-DSA-65 public key (expected "${PUBLIC_PREFIX}<base64 of ${PUBLIC_KEY_BYTES} bytes>")`, { at: { file: origin } });
  }
  return { fingerprint: keyFingerprint(bytes), publicKey: new Uint8Array(bytes), origin };
}

export interface GeneratedKey {
  secretFile: string;
  publicFile: string;
  fingerprint: string;
  publicKey: string;
}

/** Creates a key pair: the secret file holds the 32-byte seed (mode 0600), `<file>.pub` the public key. */
export async function generateSigningKey(secretFile: string, opts: { force?: boolean } = {}): Promise<GeneratedKey> {
  const publicFile = `${secretFile}.pub`;
  if (!opts.force && (existsSync(secretFile) || existsSync(publicFile))) {
    throw new GgenError('E_USAGE', 'key file already exists', { at: { file: secretFile }, hint: 'choose another --out path, or pass --force to overwrite it' });
  }
  const seed = randomBytes(32);
  const { publicKey } = ml_dsa65.keygen(seed);
  await writeFileAtomic(secretFile, `${SECRET_HEADER}\n${seed.toString('base64')}\n`, 0o600);
  await writeFileAtomic(publicFile, `${formatPublicKey(publicKey)}\n`);
  return { secretFile, publicFile, fingerprint: keyFingerprint(publicKey), publicKey: formatPublicKey(publicKey) };
}

async function loadSecretKey(file: string): Promise<{ secretKey: Uint8Array; publicKey: Uint8Array }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new GgenError('E_SIGNATURE', `cannot read signing key: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { at: { file }, hint: 'create one with `ggen market keygen --out FILE`' });
  }
  const [header, b64] = text.trim().split('\n');
  const seed = Buffer.from(b64 ?? '', 'base64');
  if (header !== SECRET_HEADER || seed.length !== 32) {
    throw new GgenError('E_SIGNATURE', 'not a ggen ML-DSA-65 secret key file', { at: { file }, hint: 'create one with `ggen market keygen --out FILE` (pass the secret file, not the .pub)' });
  }
  const keys = ml_dsa65.keygen(new Uint8Array(seed));
  return { secretKey: keys.secretKey, publicKey: keys.publicKey };
}

export function signatureMessage(id: string, version: string, integrity: string): Uint8Array {
  return new TextEncoder().encode(`${id}:${version}:${integrity}`);
}

/** Signs a pack's integrity with the secret key in `keyFile`. */
export async function signPack(id: string, version: string, integrity: string, keyFile: string): Promise<PackSignature> {
  const { secretKey, publicKey } = await loadSecretKey(keyFile);
  const sig = ml_dsa65.sign(signatureMessage(id, version, integrity), secretKey);
  return { algorithm: 'ml-dsa-65', key: keyFingerprint(publicKey), value: Buffer.from(sig).toString('base64') };
}

/**
 * Checks a pack against the trusted keys. Returns the fingerprint that verified it;
 * throws E_SIGNATURE when the pack is unsigned, signed by an untrusted key, or the signature does not verify.
 */
export function verifyPackSignature(id: string, version: string, integrity: string, signature: PackSignature | undefined, trusted: TrustedKey[]): string {
  const label = `${id}@${version}`;
  const hint = 'ggen.toml lists trusted keys ([market] trusted_keys); only packs signed by one of them are accepted';
  if (signature === undefined) throw new GgenError('E_SIGNATURE', `${label} is not signed, but trusted keys are configured`, { hint });
  const candidates = trusted.filter((k) => k.fingerprint === signature.key);
  if (candidates.length === 0) {
    throw new GgenError('E_SIGNATURE', `${label} is signed by key ${signature.key}, which is not trusted`, { hint: `trusted keys: ${trusted.map((k) => k.fingerprint).join(', ')}` });
  }
  const sig = Buffer.from(signature.value, 'base64');
  const message = signatureMessage(id, version, integrity);
  for (const key of candidates) {
    let ok = false;
    try {
      ok = ml_dsa65.verify(new Uint8Array(sig), message, key.publicKey);
    } catch {
      ok = false;
    }
    if (ok) return key.fingerprint;
  }
  throw new GgenError('E_SIGNATURE', `signature of ${label} does not verify with trusted key ${signature.key}`, { hint: 'the pack or its signature was altered; do not install it' });
}
