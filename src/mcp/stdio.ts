// MCP over stdio: newline-delimited JSON-RPC on stdin/stdout. Unlike the SDK's StdioServerTransport, a line
// that is not JSON or not JSON-RPC gets a JSON-RPC error reply (-32700 / -32600) instead of silence, and the
// server keeps reading; the end of stdin closes the transport once the requests already read are answered.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Readable, Writable } from 'node:stream';

/** The SDK's own cap for one message on stdio. */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private buffer: Buffer = Buffer.alloc(0);
  private closed = false;
  private ended = false;
  /** Requests read but not answered yet: at the end of stdin they still get their replies. */
  private readonly pending = new Set<string | number>();

  constructor(private readonly input: Readable = process.stdin, private readonly output: Writable = process.stdout) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.on('error', this.onStreamError);
  }

  private onData = (chunk: Buffer | string) => {
    this.buffer = Buffer.concat([this.buffer, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    for (let nl = this.buffer.indexOf(0x0a); nl !== -1; nl = this.buffer.indexOf(0x0a)) {
      const line = this.buffer.toString('utf8', 0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.subarray(nl + 1);
      this.handleLine(line);
    }
    if (this.buffer.length > MAX_MESSAGE_BYTES) {
      this.buffer = Buffer.alloc(0);
      this.reply(INVALID_REQUEST, `message longer than ${MAX_MESSAGE_BYTES} bytes without a newline; dropped`);
    }
  };

  private onEnd = () => {
    this.ended = true;
    if (this.pending.size === 0) void this.close();
  };

  private onStreamError = (error: Error) => {
    this.onerror?.(error);
  };

  private handleLine(line: string): void {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      this.reply(PARSE_ERROR, `Parse error: ${(err as Error).message}`);
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      const id = (value as { id?: unknown } | null)?.id;
      this.reply(INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 request, notification or response (MCP sends one JSON object per line)', typeof id === 'string' || typeof id === 'number' ? id : undefined);
      return;
    }
    const message = parsed.data;
    if ('method' in message && 'id' in message) this.pending.add(message.id);
    this.onmessage?.(message);
  }

  /** An error reply; without a usable id the id is left out, as MCP's JSONRPCError allows. */
  private reply(code: number, message: string, id?: string | number): void {
    void this.send({ jsonrpc: '2.0', ...(id === undefined ? {} : { id }), error: { code, message } } as JSONRPCMessage);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    await new Promise<void>((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once('drain', resolve);
    });
    if (!('method' in message) && 'id' in message && message.id !== undefined && this.pending.delete(message.id) && this.ended && this.pending.size === 0) await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('error', this.onStreamError);
    this.input.pause();
    this.buffer = Buffer.alloc(0);
    this.onclose?.();
  }
}
