// "Did you mean" for pack ids: the closest id by edit distance, else ids that contain what was typed.
import { didYouMean } from '../util/closest.js';

export function suggestPack(id: string, ids: string[]): string | undefined {
  const near = didYouMean(id, ids);
  if (near !== undefined) return near;
  const lower = id.toLowerCase();
  const containing = ids.filter((x) => x.toLowerCase().includes(lower)).slice(0, 3);
  if (containing.length === 0) return undefined;
  return `did you mean ${containing.map((x) => `"${x}"`).join(' or ')}?`;
}
