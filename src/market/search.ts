// Pack search: filters, sorting, and a typo-tolerant relevance score over a prebuilt word index.
import { GgenError } from '../errors.js';
import type { IndexPack } from './registry-index.js';

export type SearchSort = 'relevance' | 'downloads' | 'name' | 'updated';
export const SEARCH_SORTS: SearchSort[] = ['relevance', 'downloads', 'name', 'updated'];

export interface SearchOptions {
  category?: string;
  keyword?: string;
  author?: string;
  license?: string;
  sort?: SearchSort;
  /** Reverse the chosen order ("asc" for relevance/downloads/updated means lowest first; "desc" for name means Z→A). */
  order?: 'asc' | 'desc';
  minDownloads?: number;
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

/** Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment). */
function typoDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

const tokenize = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);

// Field weights: a match in the name counts most, then tags/keywords, then the id, then the description.
const W = { name: 10, tag: 6, keyword: 6, id: 5, description: 2 };

/** Adds `score` for `doc` unless it already has a higher one. */
function raise(scores: Map<number, number>, doc: number, score: number): void {
  const old = scores.get(doc);
  if (old === undefined || old < score) scores.set(doc, score);
}

/**
 * A search index over packs, built once, queried many times: an inverted index from words to
 * (pack, best field weight), so a query only touches the packs that contain its words.
 */
export class PackSearchIndex {
  private readonly docs: Doc[];
  /** word -> packs containing it (ascending) with the best field weight of the word in each. */
  private readonly postings = new Map<string, { docs: number[]; weights: number[] }>();
  /** Distinct words, for substring matching. */
  private readonly vocabulary: string[];
  /** Words with letters, by length, for typo matching (numbers have no typos worth fixing). */
  private readonly byLength = new Map<number, string[]>();
  /** Lower-cased id and name -> pack indexes, for the exact-match boost. */
  private readonly exact = new Map<string, number[]>();

  constructor(packs: IndexPack[]) {
    this.docs = packs.map((pack) => ({
      pack,
      id: pack.id.toLowerCase(),
      name: pack.name.toLowerCase(),
      tags: pack.tags.map((t) => t.toLowerCase()),
      keywords: pack.keywords.map((k) => k.toLowerCase()),
      description: pack.description.toLowerCase(),
    }));
    this.docs.forEach((d, i) => {
      const add = (text: string, weight: number) => {
        for (const w of tokenize(text)) {
          let posting = this.postings.get(w);
          if (posting === undefined) this.postings.set(w, (posting = { docs: [], weights: [] }));
          // Packs are added in order, so this pack can only be the last entry.
          const last = posting.docs.length - 1;
          if (last >= 0 && posting.docs[last] === i) posting.weights[last] = Math.max(posting.weights[last]!, weight);
          else {
            posting.docs.push(i);
            posting.weights.push(weight);
          }
        }
      };
      add(d.name, W.name);
      for (const t of d.tags) add(t, W.tag);
      for (const k of d.keywords) add(k, W.keyword);
      add(d.id, W.id);
      add(d.description, W.description);
      for (const key of new Set([d.id, d.name])) this.exact.set(key, [...(this.exact.get(key) ?? []), i]);
    });
    this.vocabulary = [...this.postings.keys()].sort();
    for (const w of this.vocabulary) {
      if (w.length < 3 || !/\p{L}/u.test(w)) continue;
      const bucket = this.byLength.get(w.length);
      if (bucket) bucket.push(w);
      else this.byLength.set(w.length, [w]);
    }
  }

  /** Words of the vocabulary within the typo budget of `token` (1 edit from 4 letters, 2 from 8). */
  private near(token: string): string[] {
    if (token.length < 4) return [];
    const budget = token.length >= 8 ? 2 : 1;
    const out: string[] = [];
    for (let len = token.length - budget; len <= token.length + budget; len++) {
      for (const w of this.byLength.get(len) ?? []) if (w !== token && typoDistance(token, w) <= budget) out.push(w);
    }
    return out;
  }

  /** Pack index -> score for one query word: whole word ×1.5, inside a word ×1, a near word (typo) ×0.5. */
  private scoreToken(token: string): Map<number, number> {
    const scores = new Map<number, number>();
    const each = (word: string, fn: (doc: number, weight: number) => void) => {
      const posting = this.postings.get(word);
      if (posting) for (let k = 0; k < posting.docs.length; k++) fn(posting.docs[k]!, posting.weights[k]!);
    };
    each(token, (doc, weight) => raise(scores, doc, weight * 1.5));
    for (const word of this.vocabulary) {
      if (word !== token && word.includes(token)) each(word, (doc, weight) => raise(scores, doc, weight));
    }
    for (const word of this.near(token)) {
      // Typos count only in the name, tags, keywords and id, not in free text.
      each(word, (doc, weight) => { if (weight > W.description) raise(scores, doc, weight / 2); });
    }
    return scores;
  }

  private matchAll(q: string, tokens: string[]): Map<number, number> {
    if (tokens.length === 0) {
      // A query without any word (".*", "++") is matched literally; an empty one matches everything.
      const all = new Map<number, number>();
      this.docs.forEach((d, i) => {
        if (q === '' || [d.id, d.name, d.description, ...d.tags, ...d.keywords].some((t) => t.includes(q))) all.set(i, 1);
      });
      return all;
    }
    // Every word of the query must match somewhere; scores add up.
    const perToken = [...new Set(tokens)].map((t) => this.scoreToken(t)).sort((a, b) => a.size - b.size);
    // A name that starts with the query — or, for one word, with a near spelling of it — ranks higher.
    const starts = [q, ...(tokens.length === 1 ? this.near(tokens[0]!) : [])];
    const total = new Map<number, number>();
    for (const [doc, score] of perToken[0]!) {
      let sum = score;
      let ok = true;
      for (let k = 1; k < perToken.length && ok; k++) {
        const s = perToken[k]!.get(doc);
        if (s === undefined) ok = false;
        else sum += s;
      }
      if (ok) total.set(doc, sum + (starts.some((start) => this.docs[doc]!.name.startsWith(start)) ? 5 : 0));
    }
    for (const doc of this.exact.get(q) ?? []) total.set(doc, 1000);
    return total;
  }

  search(query: string, opts: SearchOptions = {}): SearchHit[] {
    const q = query.trim().toLowerCase();
    if (q.length > 1000) throw new GgenError('E_USAGE', 'search query too long (max 1000 characters)');
    const limit = opts.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 0) throw new GgenError('E_USAGE', `invalid --limit "${opts.limit}"`, { hint: 'a whole number ≥ 0' });
    const category = opts.category?.toLowerCase();
    const keyword = opts.keyword?.toLowerCase();
    const author = opts.author?.toLowerCase();
    const license = opts.license?.toLowerCase();
    const hits: SearchHit[] = [];
    for (const [i, score] of this.matchAll(q, tokenize(q))) {
      const d = this.docs[i]!;
      const p = d.pack;
      if (category !== undefined && p.category?.toLowerCase() !== category) continue;
      if (keyword !== undefined && !d.keywords.includes(keyword) && !d.tags.includes(keyword)) continue;
      if (author !== undefined && !(p.author ?? '').toLowerCase().includes(author)) continue;
      if (license !== undefined && (p.license ?? '').toLowerCase() !== license) continue;
      if (opts.minDownloads !== undefined && (p.downloads ?? 0) < opts.minDownloads) continue;
      hits.push({ pack: p, score });
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
    // Each sort has a natural direction (best, most, newest first; names A→Z); --order flips it.
    const natural = sort === 'name' ? 'asc' : 'desc';
    const flip = opts.order !== undefined && opts.order !== natural;
    return hits.sort(flip ? (a, b) => compare[sort](b, a) : compare[sort]).slice(0, limit);
  }
}

/** Category names with their pack counts, most packs first, then by name. */
export function countCategories(packs: IndexPack[]): Array<{ category: string; count: number }> {
  const counts = new Map<string, number>();
  for (const p of packs) if (p.category) counts.set(p.category, (counts.get(p.category) ?? 0) + 1);
  return [...counts].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1));
}
