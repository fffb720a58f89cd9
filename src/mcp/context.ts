// What every tool and resource shares: the project root, the write permission, path checks and result shapes.
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { GgenError, formatLocation } from '../errors.js';
import { resolveInsideRoot, shownInside } from '../util/inside-root.js';

export interface McpServerOptions {
  /** Absolute project root: every path a client gives resolves inside it. */
  root: string;
  /** project_gen writes only when this is set (`ggen mcp --allow-write`). */
  allowWrite?: boolean;
  /** project_gen runs templates' sh_before/sh_after hooks only when this is set (`--allow-hooks`). */
  allowHooks?: boolean;
}

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export class McpContext {
  readonly root: string;
  readonly allowWrite: boolean;
  readonly allowHooks: boolean;

  constructor(opts: McpServerOptions) {
    this.root = opts.root;
    this.allowWrite = opts.allowWrite === true;
    this.allowHooks = opts.allowHooks === true;
  }

  /** A client-given path, checked to stay inside the root (see util/inside-root). */
  path(given: string, what: string): string {
    return resolveInsideRoot(this.root, given, what);
  }

  /** A path as shown to the client: relative to the root when inside it. */
  shown(file: string): string {
    return shownInside(this.root, file);
  }

  /** ggen's one-line error (where: message), its detail and hint, with paths shown relative to the root. */
  errorText(err: unknown): string {
    if (!(err instanceof GgenError)) {
      const message = err instanceof Error ? err.message : String(err);
      return `internal error: ${message}\nhint: this is a bug in ggen; report it with the tool call that caused it`;
    }
    const at = err.at ? `${formatLocation({ ...err.at, file: this.shown(err.at.file) })}: ` : '';
    const lines = [`${at}${this.unrooted(err.message)}`];
    if (err.detail) lines.push(err.detail);
    if (err.hint) lines.push(`hint: ${this.unrooted(err.hint)}`);
    return lines.join('\n');
  }

  /** Absolute paths under the root, as library messages sometimes carry them, become relative. */
  unrooted(text: string): string {
    return text.split(`${this.root}/`).join('');
  }
}

/** A successful tool result carrying JSON data, as text (for any client) and as structured content. */
export function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

/** A tool error (isError) with ggen's message and hint, plus the error code and location as data. */
export function errorResult(ctx: McpContext, err: unknown): CallToolResult {
  const data: Record<string, unknown> = err instanceof GgenError
    ? { error: { code: err.code, message: err.message, file: err.at ? ctx.shown(err.at.file) : null, line: err.at?.line ?? null, column: err.at?.column ?? null, hint: err.hint ?? null } }
    : { error: { code: 'E_INTERNAL', message: err instanceof Error ? err.message : String(err), file: null, line: null, column: null, hint: null } };
  return { content: [{ type: 'text', text: ctx.errorText(err) }], structuredContent: data, isError: true };
}

/** Wraps a tool body so that any thrown error becomes a tool error instead of a protocol failure. */
export function guarded<A>(ctx: McpContext, body: (args: A, extra: ToolExtra) => Promise<CallToolResult>): (args: A, extra: ToolExtra) => Promise<CallToolResult> {
  return async (args: A, extra: ToolExtra) => {
    try {
      return await body(args, extra);
    } catch (err) {
      return errorResult(ctx, err);
    }
  };
}
