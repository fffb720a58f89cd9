// Asking for missing template variables on a terminal (@clack/prompts). Only here: the library never prints or reads stdin.
import type { Command } from 'commander';
import { GgenError } from '../errors.js';
import type { PendingPromptsOptions, VarPrompt } from '../generate/index.js';
import { outputFor } from './output.js';

/** A person is at the keyboard: stdin and stdout are terminals, not CI, not --json. */
export function canPrompt(cmd: Command): boolean {
  const ci = process.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return process.stdin.isTTY === true && process.stdout.isTTY === true && !inCi && !outputFor(cmd).json;
}

const shown = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** Asks each prompt in turn; an empty answer keeps the declared default (which may itself be a Tera expression). */
async function ask(prompts: VarPrompt[]): Promise<Record<string, string>> {
  const clack = await import('@clack/prompts');
  const answers: Record<string, string> = {};
  // The questions go to stderr: stdout stays the command's data (e.g. `template render` text).
  const io = { input: process.stdin, output: process.stderr };
  for (const p of prompts) {
    const fallback = shown(p.default);
    let answer: string | symbol;
    if (p.choices !== undefined) {
      answer = await clack.select({ ...io, message: p.prompt, options: p.choices.map((c) => ({ value: c, label: c })), initialValue: fallback !== undefined && p.choices.includes(fallback) ? fallback : p.choices[0] });
    } else {
      answer = await clack.text({
        ...io, message: p.prompt, placeholder: fallback,
        validate: (v) => (p.default === undefined && (v ?? '').trim() === '' ? `${p.name} needs a value` : undefined),
      });
    }
    if (clack.isCancel(answer)) throw new GgenError('E_USAGE', 'cancelled at a prompt; nothing was generated', { exitCode: 130, hint: `pass --var ${p.name}=… to answer it without a prompt` });
    if (typeof answer === 'string' && answer !== '') answers[p.name] = answer;
  }
  return answers;
}

/** On a terminal, asks for the variables the templates prompt for and nothing gave; elsewhere asks nothing. */
export async function promptForMissing(cmd: Command, opts: PendingPromptsOptions): Promise<Record<string, string>> {
  if (!canPrompt(cmd)) return {};
  const { pendingPrompts } = await import('../generate/index.js');
  const prompts = await pendingPrompts(opts);
  return prompts.length === 0 ? {} : ask(prompts);
}
