// Structured logging: one JSON object per line on stderr, level from config/logging.json.
import { readFileSync } from 'node:fs';

const LEVELS = ['debug', 'info', 'warn', 'error'];
let minimum = 'info';
try {
  minimum = JSON.parse(readFileSync(new URL('../config/logging.json', import.meta.url), 'utf8')).level ?? 'info';
} catch {
  // Without the config file, log at info.
}

export function log(level, message, fields = {}) {
  if (LEVELS.indexOf(level) < LEVELS.indexOf(minimum)) return;
  process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`);
}
