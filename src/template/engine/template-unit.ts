// A parsed template with what Tera derives from it: macros, imports, blocks, its parent chain and block definitions.
import type { Block, MacroDefinition, Node } from './ast.js';
import { parseTera } from './parser.js';
import { removeWhitespace } from './whitespace.js';

export interface TemplateUnit {
  /** Name used by include/import/extends (or the file path of a top-level template). */
  name: string;
  source: string;
  nodes: Node[];
  macros: Map<string, MacroDefinition>;
  imports: Array<[file: string, namespace: string]>;
  parent: string | undefined;
  blocks: Map<string, Block>;
  /** Filled by linkTemplate: the extends chain, nearest parent first. */
  parents: string[];
  /** block name → definitions from this template up through its parents. */
  blockDefinitions: Map<string, Array<[string, Block]>>;
  lineOffset: number;
}

/** An error while building a template (duplicate block or macro), with the offending line when known. */
export class TemplateBuildError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export function buildTemplate(name: string, source: string, lineOffset = 1): TemplateUnit {
  const { nodes: raw } = parseTera(source);
  const nodes = removeWhitespace(raw);
  const blocks = new Map<string, Block>();
  const findBlocks = (list: Node[]): void => {
    for (const n of list) {
      if (n.t !== 'block') continue;
      if (blocks.has(n.block.name)) throw new TemplateBuildError(`block "${n.block.name}" is defined twice`, n.line);
      blocks.set(n.block.name, n.block);
      findBlocks(n.block.body);
    }
  };
  findBlocks(nodes);
  const macros = new Map<string, MacroDefinition>();
  const imports: Array<[string, string]> = [];
  let parent: string | undefined;
  for (const n of nodes) {
    if (n.t === 'extends') parent = n.file;
    else if (n.t === 'macro') {
      if (macros.has(n.def.name)) throw new TemplateBuildError(`macro "${n.def.name}" is defined twice`, n.line);
      macros.set(n.def.name, n.def);
    } else if (n.t === 'import') imports.push([n.file, n.namespace]);
  }
  return { name, source, nodes, macros, imports, parent, blocks, parents: [], blockDefinitions: new Map(), lineOffset };
}

/** Tera's build_inheritance_chains for one template, given a way to fetch (and load) others by name. */
export function linkTemplate(tpl: TemplateUnit, get: (name: string) => TemplateUnit | undefined): void {
  const parents: string[] = [];
  let current = tpl;
  while (current.parent !== undefined) {
    const p = get(current.parent);
    if (p === undefined) {
      throw new TemplateBuildError(`template "${current.name}" extends "${current.parent}", which does not exist in the templates directory`, lineOfTag(current, 'extends'));
    }
    if (p.name === tpl.name || parents.includes(p.name)) throw new TemplateBuildError(`circular extends: ${[tpl.name, ...parents, p.name].join(' -> ')}`);
    parents.push(p.name);
    current = p;
  }
  tpl.parents = parents;
  tpl.blockDefinitions = new Map();
  for (const [blockName, def] of tpl.blocks) {
    const defs: Array<[string, Block]> = [[tpl.name, def]];
    for (const pName of parents) {
      const b = get(pName)?.blocks.get(blockName);
      if (b !== undefined) defs.push([pName, b]);
    }
    tpl.blockDefinitions.set(blockName, defs);
  }
}

export function lineOfTag(tpl: TemplateUnit, tag: 'extends' | 'import', file?: string): number | undefined {
  for (const n of tpl.nodes) {
    if (n.t === tag && (file === undefined || n.file === file)) return n.line;
  }
  return undefined;
}
