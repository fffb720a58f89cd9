// n3 (parser, writer, store) loaded on first use: loading a graph and generating from it need none of it, and it
// costs ~45 ms of start-up as a CommonJS tree.
import { createRequire } from 'node:module';

let n3Module: typeof import('n3') | undefined;

export function n3(): typeof import('n3') {
  return (n3Module ??= createRequire(import.meta.url)('n3') as typeof import('n3'));
}
