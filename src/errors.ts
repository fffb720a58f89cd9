// The one error type the library throws on purpose; the CLI maps it to text and an exit code.

export type ErrorCode =
  | 'E_USAGE'
  | 'E_IO'
  | 'E_CONFIG'
  | 'E_RDF_PARSE'
  | 'E_RDF_FORMAT'
  | 'E_RDF_TOO_LARGE'
  | 'E_SPARQL'
  | 'E_SHACL'
  | 'E_TEMPLATE_SYNTAX'
  | 'E_TEMPLATE_RENDER'
  | 'E_FRONTMATTER'
  | 'E_GENERATE'
  | 'E_WRITE_CONFLICT'
  | 'E_PLAN_STALE'
  | 'E_HOOK'
  | 'E_PLUGIN'
  | 'E_INTEGRITY'
  | 'E_SIGNATURE'
  | 'E_REGISTRY'
  | 'E_NETWORK'
  | 'E_LOCKFILE'
  | 'E_PACK'
  | 'E_LIFECYCLE'
  | 'E_TIMEOUT'
  | 'E_LOCKED'
  | 'E_JOURNAL'
  | 'E_CLEANROOM'
  | 'E_VALIDATION';

export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface GgenErrorOptions {
  at?: SourceLocation;
  hint?: string;
  cause?: unknown;
  /** Extra lines shown under the message (e.g. a source excerpt with a caret). */
  detail?: string;
  /** Exit code the CLI should use; defaults to 2 for E_USAGE and 1 otherwise. */
  exitCode?: number;
}

export class GgenError extends Error {
  override name = 'GgenError';
  readonly at?: SourceLocation;
  readonly hint?: string;
  readonly detail?: string;
  readonly exitCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    opts: GgenErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.at = opts.at;
    this.hint = opts.hint;
    this.detail = opts.detail;
    this.exitCode = opts.exitCode ?? (code === 'E_USAGE' ? 2 : 1);
  }
}

export function isGgenError(err: unknown): err is GgenError {
  return err instanceof GgenError;
}

/** `file:line:col` for a location, omitting the parts that are unknown. */
export function formatLocation(at: SourceLocation): string {
  if (at.line === undefined) return at.file;
  return `${at.file}:${at.line}:${at.column ?? 1}`;
}
