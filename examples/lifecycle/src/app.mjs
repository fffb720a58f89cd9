// The greeter service: a pure request handler, so it can be tested without a socket.
import { validateGreetingRequest } from './validate.mjs';
import { log } from './log.mjs';

export function handle(method, path, query = {}) {
  if (method === 'GET' && path === '/health') return { status: 200, body: { status: 'ok' } };
  if (method === 'GET' && path === '/greet') {
    const problem = validateGreetingRequest(query);
    if (problem) {
      log('warn', 'rejected greeting request', { problem });
      return { status: 400, body: { error: problem } };
    }
    const greeting = process.env.GREETING ?? 'Hello';
    return { status: 200, body: { message: `${greeting}, ${query.name}!` } };
  }
  return { status: 404, body: { error: 'not found' } };
}
