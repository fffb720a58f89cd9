// Turns any thrown value into the one-line message (plus hint) the user sees, and an exit code.
import { formatLocation, GgenError } from '../errors.js';

export function formatError(err: unknown, debug: boolean): string {
  if (!(err instanceof GgenError)) {
    const e = err instanceof Error ? err : new Error(String(err));
    const lines = [`error: internal error: ${e.message}`, '  hint: this is a bug in ggen; rerun with GGEN_DEBUG=1 and report it with the output'];
    if (debug && e.stack) lines.push(e.stack);
    return lines.join('\n');
  }
  const where = err.at ? `${formatLocation(err.at)}: ` : '';
  const lines = [`error: ${where}${err.message}`];
  if (err.detail) lines.push(err.detail);
  if (err.hint) lines.push(`  hint: ${err.hint}`);
  if (debug) {
    lines.push(`  code: ${err.code}`);
    if (err.stack) lines.push(err.stack);
    if (err.cause instanceof Error && err.cause.stack) lines.push(`caused by: ${err.cause.stack}`);
  }
  return lines.join('\n');
}

export function exitCodeFor(err: unknown): number {
  return err instanceof GgenError ? err.exitCode : 1;
}
