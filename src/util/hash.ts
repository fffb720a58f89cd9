// Content hashes used across ggen (receipts, plans, caches, integrity).
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha512Integrity(data: string | Uint8Array): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}
