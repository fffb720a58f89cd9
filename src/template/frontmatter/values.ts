// Renders frontmatter values one by one (never as one YAML text), so quotes and numbers survive.

/** Renders one Tera text with a context (the engine's renderString, bound to the template's name). */
export type RenderText = (source: string, context: Record<string, unknown>) => string;

export const hasTeraSyntax = (s: string): boolean => s.includes('{{') || s.includes('{%') || s.includes('{#');

/** Renders a string leaf; strings without Tera syntax are returned as they are. */
export function renderLeaf(render: RenderText, value: string, context: Record<string, unknown>): string {
  return hasTeraSyntax(value) ? render(value, context) : value;
}

/** Renders every string inside a value (lists and maps walked); numbers, booleans and null keep their type. */
export function renderDeep(render: RenderText, value: unknown, context: Record<string, unknown>): unknown {
  if (typeof value === 'string') return renderLeaf(render, value, context);
  if (Array.isArray(value)) return value.map((v) => renderDeep(render, v, context));
  // Only plain maps are walked: value wrappers (an exact number, a date) are leaves.
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(render, v, context)]));
  }
  return value;
}
