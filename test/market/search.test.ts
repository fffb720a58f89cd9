// Search: exact id/name first, weighted fields, typo tolerance, every filter and sort.
import { describe, expect, it } from 'vitest';
import { PackSearchIndex } from '../../src/market/search.js';
import type { IndexPack } from '../../src/market/registry-index.js';

function pack(id: string, extra: Partial<IndexPack> = {}): IndexPack {
  return { id, name: id, description: '', tags: [], keywords: [], latest_version: '1.0.0', versions: {}, ...extra };
}

const packs = [
  pack('rust'),
  pack('rust-tools', { downloads: 500, category: 'tools', author: 'Author A', license: 'MIT' }),
  pack('tools-rust', { downloads: 900, category: 'tools', author: 'Author B', license: 'Apache-2.0' }),
  pack('rust-cli', { tags: ['cli'], keywords: ['keyword1'], category: 'cli', author: 'Author A' }),
  pack('io.ggen.python.dataclasses', { name: 'Python dataclasses', description: 'Dataclasses and enums from an ontology', tags: ['python'], keywords: ['dataclass'], category: 'python', downloads: 10 }),
  pack('io.ggen.typescript.types', { name: 'TypeScript types', description: 'Interfaces and runtime validators', tags: ['typescript', 'types'], category: 'typescript', downloads: 20 }),
  pack('io.ggen.docs', { name: 'Markdown docs', description: 'Reference documentation, also for python users', category: 'docs' }),
];
const index = new PackSearchIndex(packs);
const ids = (q: string, o = {}) => index.search(q, o).map((h) => h.pack.id);

describe('market search', () => {
  it('ranks an exact id match first', () => {
    expect(ids('rust')[0]).toBe('rust');
    expect(ids('RUST')[0]).toBe('rust');
  });
  it('weights name over tags over description', () => {
    expect(ids('python')).toEqual(['io.ggen.python.dataclasses', 'io.ggen.docs']);
  });
  it('tolerates typos', () => {
    expect(ids('pyton')).toEqual(['io.ggen.python.dataclasses']);
    expect(ids('typescirpt')).toEqual(['io.ggen.typescript.types']);
    expect(ids('dataclases')).toEqual(['io.ggen.python.dataclasses']);
    expect(ids('pyhton')).toEqual(['io.ggen.python.dataclasses']);
  });
  it('ranks a name starting with the misspelt word above names that only contain it', () => {
    const starter = pack('io.ggen.starter', { name: 'Starter (TypeScript + SQL)', tags: ['typescript'], downloads: 999 });
    const local = new PackSearchIndex([...packs, starter]);
    expect(local.search('typscript').map((h) => h.pack.id)).toEqual(['io.ggen.typescript.types', 'io.ggen.starter']);
  });
  it('requires every word to match', () => {
    expect(ids('typescript validators')).toEqual(['io.ggen.typescript.types']);
    expect(ids('typescript python')).toEqual([]);
  });
  it('treats queries literally and returns [] for no match', () => {
    expect(ids('.*')).toEqual([]);
    expect(ids('zzzzzz')).toEqual([]);
    expect(ids("'; DROP TABLE packs; --")).toEqual([]);
  });
  it('applies category, keyword, author and license filters', () => {
    expect(ids('rust', { category: 'TOOLS' })).toEqual(['rust-tools', 'tools-rust']);
    expect(ids('', { keyword: 'keyword1' })).toEqual(['rust-cli']);
    expect(ids('', { keyword: 'cli' })).toEqual(['rust-cli']);
    expect(ids('', { author: 'author a', sort: 'name' })).toEqual(['rust-cli', 'rust-tools']);
    expect(ids('', { license: 'apache-2.0' })).toEqual(['tools-rust']);
  });
  it('sorts by downloads or name, and limits', () => {
    expect(ids('rust', { sort: 'downloads' })).toEqual(['tools-rust', 'rust-tools', 'rust', 'rust-cli']);
    expect(ids('rust', { sort: 'name' })).toEqual(['rust', 'rust-cli', 'rust-tools', 'tools-rust']);
    expect(ids('rust', { limit: 2 })).toHaveLength(2);
    expect(ids('rust', { limit: 0 })).toEqual([]);
    expect(ids('rust', { sort: 'downloads', order: 'asc' })).toEqual(['rust-cli', 'rust', 'rust-tools', 'tools-rust']);
    expect(ids('rust', { sort: 'name', order: 'desc' })).toEqual(['tools-rust', 'rust-tools', 'rust-cli', 'rust']);
    expect(ids('', { minDownloads: 500, sort: 'name' })).toEqual(['rust-tools', 'tools-rust']);
  });
  it('lists everything for an empty query', () => {
    expect(ids('', { limit: 100 })).toHaveLength(packs.length);
  });
});
