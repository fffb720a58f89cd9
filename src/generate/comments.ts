// Line-comment syntax by file type, for owned-region markers written into files of any language.
import { basename, extname } from 'node:path';

export interface CommentStyle {
  open: string;
  close: string;
}

const slash = { open: '//', close: '' };
const hash = { open: '#', close: '' };
const dash = { open: '--', close: '' };
const xml = { open: '<!--', close: ' -->' };
const block = { open: '/*', close: ' */' };

const byExtension: Record<string, CommentStyle> = {
  ts: slash, tsx: slash, js: slash, jsx: slash, mjs: slash, cjs: slash, rs: slash, go: slash, java: slash,
  kt: slash, kts: slash, scala: slash, swift: slash, c: slash, h: slash, cc: slash, cpp: slash, hpp: slash,
  cs: slash, dart: slash, php: slash, proto: slash, groovy: slash, zig: slash, jsonc: slash,
  py: hash, rb: hash, sh: hash, bash: hash, zsh: hash, toml: hash, yaml: hash, yml: hash, r: hash, pl: hash,
  ex: hash, exs: hash, cfg: hash, conf: hash, ini: hash, tf: hash, nix: hash, ttl: hash, rq: hash, sparql: hash,
  sql: dash, lua: dash, hs: dash, elm: dash, ada: dash,
  md: xml, html: xml, htm: xml, xml: xml, svg: xml, vue: xml, svelte: xml,
  css: block, scss: slash, less: slash,
};

const byName: Record<string, CommentStyle> = { Makefile: hash, Dockerfile: hash, '.gitignore': hash, '.env': hash };

export function commentStyleFor(path: string): CommentStyle {
  const name = basename(path);
  if (byName[name]) return byName[name];
  const ext = extname(name).slice(1).toLowerCase();
  return byExtension[ext] ?? hash;
}

export function commentLine(style: CommentStyle, text: string): string {
  return `${style.open} ${text}${style.close}`;
}
