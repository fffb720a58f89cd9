// Renders frontmatter values one by one (never as one YAML text), so quotes and numbers survive.

type Render = (source: string, context: Record<string, unknown>) => string;

const hasTera = (s: string) => s.includes('{{') || s.includes('{%') || s.includes('{#');

/** Renders a string leaf; strings without Tera syntax are returned as they are. */
export function renderLeaf(render: Render, value: string, context: Record<string, unknown>): string {
  return hasTera(value) ? render(value, context) : value;
}

/** Renders every string inside a value (lists and maps walked); numbers, booleans and null keep their type. */
export function renderDeep(render: Render, value: unknown, context: Record<string, unknown>): unknown {
  if (typeof value === 'string') return renderLeaf(render, value, context);
  if (Array.isArray(value)) return value.map((v) => renderDeep(render, v, context));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(render, v, context)]));
  }
  return value;
}
