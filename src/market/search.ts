// Pack search: filters, sorting, and a typo-tolerant relevance score over a prebuilt word index.
import { GgenError } from '../errors.js';
import { editDistance } from '../util/closest.js';
import type { IndexPack } from './registry-index.js';

export type SearchSort = 'relevance' | 'downloads' | 'name' | 'updated';
export const SEARCH_SORTS: SearchSort[] = ['relevance', 'downloads', 'name', 'updated'];

export interface SearchOptions {
  category?: string;
  keyword?: string;
  author?: string;
  license?: string;
  sort?: SearchSort;
  limit?: number;
}

export interface SearchHit {
  pack: IndexPack;
  score: number;
}

interface Doc {
  pack: IndexPack;
  id: string;
  name: string;
  tags: string[];
  keywords: string[];
  description: string;
}

const tokenize = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);

// Field weights: a match in the name counts most, then tags/keywords, then the id, then the description.
const W = { name: 10, tag: 6, keyword: 6, id: 5, description: 2 };

/** A search index over packs, built once, queried many times. */
export class PackSearchIndex {
  private readonly docs: Doc[];
  /** Distinct words of names, ids, tags and keywords, for typo matching. */
  private readonly vocabulary: string[];

  constructor(packs: IndexPack[]) {
    this.docs = packs.map((pack) => ({
      pack,
      id: pack.id.toLowerCase(),
      name: pack.name.toLowerCase(),
      tags: pack.tags.map((t) => t.toLowerCase()),
      keywords: pack.keywords.map((k) => k.toLowerCase()),
      description: pack.description.toLowerCase(),
    }));
    const words = new Set<string>();
    for (const d of this.docs) for (const text of [d.id, d.name, ...d.tags, ...d.keywords]) for (const w of tokenize(text)) words.add(w);
    this.vocabulary = [...words].sort();
  }

  /** Words of the vocabulary within the typo budget of `token` (1 edit from 4 letters, 2 from 8). */
  private near(token: string): string[] {
    if (token.length < 4) return [];
    const budget = token.length >= 8 ? 2 : 1;
    return this.vocabulary.filter((w) => w !== token && Math.abs(w.length - token.length) <= budget && w.length >= 3 && editDistance(token, w) <= budget);
  }

  private score(d: Doc, query: string, tokens: string[], fuzzy: Map<string, string[]>): number {
    if (query !== '' && (d.id === query || d.name === query)) return 1000;
    let total = 0;
    for (const token of tokens) {
      let best = 0;
      const consider = (weight: number, text: string | string[]) => {
        const texts = typeof text === 'string' ? [text] : text;
        for (const t of texts) {
          if (t === token) best = Math.max(best, weight * 1.5);
          else if (t.includes(token)) best = Math.max(best, weight);
        }
      };
      consider(W.name, d.name);
      consider(W.tag, d.tags);
      consider(W.keyword, d.keywords);
      consider(W.id, d.id);
      consider(W.description, d.description);
      if (best === 0) {
        // Typo tolerance: a near word in name/id/tags/keywords counts half.
        for (const alt of fuzzy.get(token) ?? []) {
          if (d.name.includes(alt)) best = Math.max(best, W.name / 2);
          else if (d.tags.some((t) => t.includes(alt)) || d.keywords.some((k) => k.includes(alt))) best = Math.max(best, W.tag / 2);
          else if (d.id.includes(alt)) best = Math.max(best, W.id / 2);
        }
      }
      if (best === 0) return 0; // every word of the query must match somewhere
      total += best;
    }
    if (query !== '' && d.name.startsWith(query)) total += 5;
    return total;
  }

  search(query: string, opts: SearchOptions = {}): SearchHit[] {
    const q = query.trim().toLowerCase();
    if (q.length > 1000) throw new GgenError('E_USAGE', 'search query too long (max 1000 characters)');
    const limit = opts.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 0) throw new GgenError('E_USAGE', `invalid --limit "${opts.limit}"`, { hint: 'a whole number ≥ 0' });
    const tokens = tokenize(q);
    const fuzzy = new Map(tokens.map((t) => [t, this.near(t)]));
    const category = opts.category?.toLowerCase();
    const keyword = opts.keyword?.toLowerCase();
    const author = opts.author?.toLowerCase();
    const license = opts.license?.toLowerCase();
    const hits: SearchHit[] = [];
    for (const d of this.docs) {
      const p = d.pack;
      if (category !== undefined && p.category?.toLowerCase() !== category) continue;
      if (keyword !== undefined && !d.keywords.includes(keyword) && !d.tags.includes(keyword)) continue;
      if (author !== undefined && !(p.author ?? '').toLowerCase().includes(author)) continue;
      if (license !== undefined && (p.license ?? '').toLowerCase() !== license) continue;
      // A query without any word (".*", "++") is matched literally.
      const score = tokens.length > 0 ? this.score(d, q, tokens, fuzzy) : q === '' || [d.id, d.name, d.description, ...d.tags, ...d.keywords].some((t) => t.includes(q)) ? 1 : 0;
      if (score > 0) hits.push({ pack: p, score });
    }
    const byName = (a: SearchHit, b: SearchHit) => (a.pack.name < b.pack.name ? -1 : a.pack.name > b.pack.name ? 1 : a.pack.id < b.pack.id ? -1 : a.pack.id > b.pack.id ? 1 : 0);
    const byDownloads = (a: SearchHit, b: SearchHit) => (b.pack.downloads ?? -1) - (a.pack.downloads ?? -1);
    const sort = opts.sort ?? 'relevance';
    const compare: Record<SearchSort, (a: SearchHit, b: SearchHit) => number> = {
      relevance: (a, b) => b.score - a.score || byDownloads(a, b) || byName(a, b),
      downloads: (a, b) => byDownloads(a, b) || byName(a, b),
      name: byName,
      updated: (a, b) => (b.pack.updated ?? '').localeCompare(a.pack.updated ?? '') || byName(a, b),
    };
    return hits.sort(compare[sort]).slice(0, limit);
  }
}

/** Category names with their pack counts, most packs first, then by name. */
export function countCategories(packs: IndexPack[]): Array<{ category: string; count: number }> {
  const counts = new Map<string, number>();
  for (const p of packs) if (p.category) counts.set(p.category, (counts.get(p.category) ?? 0) + 1);
  return [...counts].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1));
}
