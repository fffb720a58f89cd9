// Formats: pack ids, specs, template refs, index.json, gpack.toml and ggen.lock (errors with positions, stable bytes).
import { describe, expect, it } from 'vitest';
import { parseGpackManifest } from '../../src/market/manifest.js';
import { parsePackSpec, parseTemplateRef, packIdProblem } from '../../src/market/ids.js';
import { parseGgenLock, stringifyGgenLock, type GgenLock } from '../../src/market/lockfile.js';
import { parseRegistryIndex } from '../../src/market/registry-index.js';
import { normaliseRegistryUrl } from '../../src/market/config.js';

describe('pack ids', () => {
  it.each([
    ['../../etc/passwd', 'pack id contains a path separator'],
    ['a..b', 'pack id contains ".."'],
    ['.hidden', 'pack id starts with "."'],
    ['a/b', 'pack id contains a path separator'],
    ['a\\b', 'pack id contains a path separator'],
    ['a\u0000b', 'pack id contains a control character'],
    ['a\nb', 'pack id contains a control character'],
    ['', 'pack id is empty'],
    ['a b', 'pack id may only contain letters, digits, ".", "-" and "_"'],
    ['x'.repeat(201), 'pack id is longer than 200 characters'],
  ])('refuses %j', (id, problem) => {
    expect(packIdProblem(id)).toBe(problem);
  });
  it('accepts reverse-DNS ids', () => {
    expect(packIdProblem('io.ggen.rust.cli-subcommand')).toBeUndefined();
    expect(packIdProblem('my_pack-2')).toBeUndefined();
  });
  it('parses specs at the last @ and checks ranges', () => {
    expect(parsePackSpec('io.ggen.a')).toEqual({ id: 'io.ggen.a' });
    expect(parsePackSpec('io.ggen.a@^1.2')).toEqual({ id: 'io.ggen.a', range: '^1.2' });
    expect(() => parsePackSpec('io.ggen.a@')).toThrow('the version range after "@" is empty');
    expect(() => parsePackSpec('@1.0.0')).toThrow('the pack id is empty');
    expect(() => parsePackSpec('io.ggen.a@banana')).toThrow('invalid version range "banana"');
    expect(() => parsePackSpec('../x@1.0.0')).toThrow('pack id contains a path separator');
  });
  it('parses template references and refuses traversal', () => {
    expect(parseTemplateRef('io.ggen.test:main.tmpl')).toEqual({ packId: 'io.ggen.test', path: 'main.tmpl' });
    expect(parseTemplateRef('io.ggen.test:a//b/')).toEqual({ packId: 'io.ggen.test', path: 'a/b' });
    expect(parseTemplateRef('io.ggen.test')).toEqual({ packId: 'io.ggen.test' });
    expect(() => parseTemplateRef('io.ggen.test:../outside.tmpl')).toThrow('must not contain ".."');
    expect(() => parseTemplateRef(':t.tmpl')).toThrow('the pack id is empty');
    expect(() => parseTemplateRef('pack:')).toThrow('the template path is empty');
  });
  it('normalises registry URLs to a trailing slash', () => {
    expect(normaliseRegistryUrl('http://h/reg', '/')).toBe('http://h/reg/');
    expect(normaliseRegistryUrl('http://h/reg/index.json', '/')).toBe('http://h/reg/');
    expect(normaliseRegistryUrl('/srv/reg', '/')).toBe('file:///srv/reg/');
    expect(() => normaliseRegistryUrl('ftp://h/x', '/')).toThrow('unsupported registry URL scheme');
  });
});

const v1Index = {
  updated: '2025-10-09T00:00:00Z',
  packs: {
    'io.ggen.rust.cli-subcommand': {
      id: 'io.ggen.rust.cli-subcommand', name: 'Rust CLI Subcommand Generator', description: 'x', tags: ['rust'], keywords: ['cli'],
      category: 'rust', author: 'ggen-team', latest_version: '1.2.0', downloads: 15420, license: 'MIT',
      versions: { '1.2.0': { version: '1.2.0', git_url: 'https://example.invalid/r.git', git_rev: 'abc123', sha256: 'def456' } },
    },
  },
};

describe('index.json', () => {
  it('reads a 1.x index (no tarball/integrity/dependencies)', () => {
    const index = parseRegistryIndex(JSON.stringify(v1Index), 'index.json');
    const pack = index.packs['io.ggen.rust.cli-subcommand']!;
    expect(pack.latest_version).toBe('1.2.0');
    expect(pack.versions['1.2.0']).toMatchObject({ git_rev: 'abc123', sha256: 'def456', dependencies: {} });
  });
  it('tolerates missing tags and keywords', () => {
    const index = parseRegistryIndex('{"updated":"x","packs":{"a.b":{"id":"a.b","name":"A","description":"","latest_version":"1.0.0","versions":{"1.0.0":{"version":"1.0.0"}}}}}', 'i.json');
    expect(index.packs['a.b']!.tags).toEqual([]);
  });
  it('names file, line and column of a syntax error', () => {
    expect(() => parseRegistryIndex('{\n  "updated": "x",\n  "packs": { malformed }\n}', '/r/index.json')).toThrow(
      expect.objectContaining({ code: 'E_REGISTRY', at: { file: '/r/index.json', line: 3, column: 14 } }),
    );
    expect(() => parseRegistryIndex('{ "packs": {', 'i.json')).toThrow(expect.objectContaining({ at: { file: 'i.json', line: 1, column: 13 } }));
  });
  it('names the JSON path of a schema error', () => {
    expect(() => parseRegistryIndex('{"updated":"x","packs":{"a.b":{"id":"a.b","versions":{"1.0.0":{"integrity":"md5-xx"}}}}}', 'i.json')).toThrow(
      'registry index: packs.a.b.versions.1.0.0.integrity: expected an SRI string like "sha512-<base64>"',
    );
    expect(() => parseRegistryIndex('{"updated":"x","packs":{"../x":{"versions":{}}}}', 'i.json')).toThrow('registry index: packs.../x: pack id contains a path separator');
    expect(() => parseRegistryIndex('{"id":"test-pack"}', 'i.json')).toThrow('registry index: packs: missing');
  });
});

describe('gpack.toml', () => {
  const good = '[gpack]\nid = "io.x.y"\nname = "Y"\nversion = "1.0.0"\ndescription = "d"\nlicense = "MIT"\nggen_compat = ">=2.0.0-0"\n\n[dependencies]\n"io.x.base" = "^1.0"\n\n[preset]\nvars = { a = "b" }\n';
  it('parses the manifest with defaults', () => {
    const m = parseGpackManifest(good, 'gpack.toml');
    expect(m).toMatchObject({ id: 'io.x.y', version: '1.0.0', dependencies: { 'io.x.base': '^1.0' }, preset: { vars: { a: 'b' }, graphs: [] }, templates: { patterns: [] } });
  });
  it('reports TOML errors with line and column', () => {
    expect(() => parseGpackManifest('[gpack]\nid = "x\n', '/p/gpack.toml')).toThrow(expect.objectContaining({ code: 'E_PACK', at: expect.objectContaining({ file: '/p/gpack.toml', line: 2 }) }));
  });
  it.each([
    [good.replace('version = "1.0.0"', 'version = "1.0"'), 'gpack.toml: [gpack].version: "1.0" is not a semver version like 1.2.3'],
    [good.replace('id = "io.x.y"', 'id = "../evil"'), 'gpack.toml: [gpack].id: pack id contains a path separator'],
    [good.replace('"^1.0"', '"soon"'), 'gpack.toml: [dependencies]."io.x.base": "soon" is not a semver range'],
    [good.replace('license = "MIT"\n', ''), 'gpack.toml: [gpack].license: missing (required string)'],
    [`${good}[templates]\npatterns = ["../../*.tmpl"]\n`, 'gpack.toml: [templates].patterns: pattern "../../*.tmpl" must stay inside the pack'],
  ])('rejects bad manifests (%#)', (text, message) => {
    expect(() => parseGpackManifest(text, 'gpack.toml')).toThrow(message);
  });
});

describe('ggen.lock', () => {
  const lock: GgenLock = {
    version: '2',
    packs: [
      { id: 'io.b', version: '1.0.0', integrity: 'sha512-bbb=', source: 'bundled', resolved: 'packs/io.b/io.b-1.0.0.tgz', dependencies: [] },
      { id: 'io.a', version: '2.0.0', integrity: 'sha512-aaa=', source: 'http://127.0.0.1:1/', requested: '^2', dependencies: ['io.z@^1', 'io.b@^1.0'] },
    ],
  };
  it('is sorted and byte-stable', () => {
    const text = stringifyGgenLock(lock);
    expect(text).toBe(`# ggen.lock: written by \`ggen market\`; do not edit by hand.
version = "2"

[[packs]]
id = "io.a"
version = "2.0.0"
integrity = "sha512-aaa="
source = "http://127.0.0.1:1/"
requested = "^2"
dependencies = ["io.b@^1.0", "io.z@^1"]

[[packs]]
id = "io.b"
version = "1.0.0"
integrity = "sha512-bbb="
source = "bundled"
resolved = "packs/io.b/io.b-1.0.0.tgz"
dependencies = []
`);
    expect(stringifyGgenLock(parseGgenLock(text, 'ggen.lock'))).toBe(text);
    expect(stringifyGgenLock({ ...lock, packs: [...lock.packs].reverse() })).toBe(text);
  });
  it('names file and position when corrupted', () => {
    expect(() => parseGgenLock('version = "2"\n\n[[packs]]\nid = "io.a"\nversion = 1.0.0\n', '/p/ggen.lock')).toThrow(
      expect.objectContaining({ code: 'E_LOCKFILE', at: expect.objectContaining({ file: '/p/ggen.lock', line: 5 }) }),
    );
    expect(() => parseGgenLock('version = "2"\n[[packs]]\nid = "../../x"\nversion = "1.0.0"\nintegrity = "sha512-x"\n', 'ggen.lock')).toThrow('ggen.lock: packs[0].id: pack id contains a path separator');
    expect(() => parseGgenLock('[[packs]]\nid = "a"\nversion = "1.0.0"\n', 'ggen.lock')).toThrow('ggen.lock: packs[0].integrity is missing');
  });
  it('reads 1.x lockfiles (sha256, generated)', () => {
    const lock1 = parseGgenLock('version = "1.0"\ngenerated = "2025-10-09T19:34:56Z"\n\n[[packs]]\nid = "io.ggen.rust.cli-subcommand"\nversion = "0.1.0"\nsha256 = "abc"\nsource = "https://x/r.git"\n', 'ggen.lock');
    expect(lock1.packs[0]).toMatchObject({ id: 'io.ggen.rust.cli-subcommand', version: '0.1.0', integrity: 'sha256-hex:abc', requested: '*' });
  });
});
