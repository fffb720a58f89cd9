// Validator: a workspace file parses as JSON, TOML, YAML or Turtle (the error says where it does not).
import { parseAllDocuments } from 'yaml';
import type { CleanroomEnv } from '../env.js';
import type { Validator } from '../validation.js';

export type ParseFormat = 'json' | 'toml' | 'yaml' | 'turtle';
export const parseFormats: readonly ParseFormat[] = ['json', 'toml', 'yaml', 'turtle'];

function lineOfOffset(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

async function parseError(format: ParseFormat, text: string): Promise<string | undefined> {
  try {
    switch (format) {
      case 'json':
        JSON.parse(text);
        return undefined;
      case 'toml': {
        const { parse } = await import('smol-toml');
        parse(text);
        return undefined;
      }
      case 'yaml': {
        for (const doc of parseAllDocuments(text)) {
          const first = doc.errors[0];
          if (first) return first.message.split('\n')[0];
        }
        return undefined;
      }
      case 'turtle': {
        const { Parser } = await import('n3');
        new Parser({ format: 'text/turtle' }).parse(text);
        return undefined;
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    const position = /position (\d+)/.exec(message);
    return format === 'json' && position ? `${message} (${lineOfOffset(text, Number(position[1]))})` : message;
  }
}

export function parsesAs(path: string, format: ParseFormat): Validator {
  return {
    name: `parses as ${format}: ${path}`,
    async validate(env: CleanroomEnv) {
      if (!(await env.exists(path))) return { passed: false, messages: [`missing: ${path}`] };
      const error = await parseError(format, await env.readFile(path));
      return error === undefined ? { passed: true } : { passed: false, messages: [`${path}: ${error}`] };
    },
  };
}
