// The `ident` filter: heck word splitting, transliteration, leading digits and each language's reserved-word escape.
import { describe, expect, it } from 'vitest';
import { GgenError } from '../../src/errors.js';
import { createTemplateEngine } from '../../src/template/index.js';
import { identWords, toIdent, type IdentCase, type IdentLang } from '../../src/template/filters/ident.js';

describe('identWords', () => {
  it.each([
    ['APIReference', ['API', 'Reference']],
    ['XMLHttpRequest', ['XML', 'Http', 'Request']],
    ['3DModel', ['three', 'D', 'Model']],
    ['2020Vision', ['two', 'zero', 'two', 'zero', 'Vision']],
    ['model3D', ['model3', 'D']],
    ['Straße-Café', ['Strasse', 'Cafe']],
    ['hello_world  again', ['hello', 'world', 'again']],
    ['!!!', ['unnamed']],
    ['', ['unnamed']],
  ])('%j → %j', (input, words) => {
    expect(identWords(input)).toEqual(words);
  });
});

describe('toIdent', () => {
  const rows: Array<[name: string, lang: IdentLang, identCase: IdentCase, expected: string]> = [
    ['APIReference', 'ts', 'pascal', 'ApiReference'],
    ['APIReference', 'python', 'snake', 'api_reference'],
    ['XMLHttpRequest', 'js', 'pascal', 'XmlHttpRequest'],
    ['XMLHttpRequest', 'java', 'camel', 'xmlHttpRequest'],
    ['3DModel', 'ts', 'pascal', 'ThreeDModel'],
    ['3DModel', 'rust', 'snake', 'three_d_model'],
    ['3DModel', 'go', 'screaming_snake', 'THREE_D_MODEL'],
    ['3DModel', 'sql', 'kebab', '"three-d-model"'],
    ['Straße', 'csharp', 'pascal', 'Strasse'],
    // Reserved words, each language its own way.
    ['type', 'rust', 'snake', 'r#type'],
    ['Self', 'rust', 'pascal', 'Self_'],
    ['self', 'rust', 'snake', 'self_'],
    ['class', 'python', 'snake', 'class_'],
    ['none', 'python', 'pascal', 'None_'],
    ['type', 'python', 'snake', 'type'],
    ['default', 'ts', 'camel', 'default_'],
    ['string', 'ts', 'camel', 'string_'],
    ['string', 'js', 'camel', 'string'],
    ['Interface', 'ts', 'camel', 'interface_'],
    ['func', 'go', 'snake', 'func_'],
    ['package', 'java', 'snake', 'package_'],
    ['record', 'java', 'camel', 'record_'],
    ['when', 'kotlin', 'camel', '`when`'],
    ['class', 'csharp', 'camel', '@class'],
    ['order', 'sql', 'snake', '"order"'],
    ['Order', 'sql', 'pascal', '"Order"'],
    ['orders', 'sql', 'snake', 'orders'],
    ['true', 'graphql', 'camel', 'true_'],
    ['type', 'graphql', 'camel', 'type'],
  ];
  it.each(rows)('%j in %s %s → %s', (name, lang, identCase, expected) => {
    expect(toIdent(name, lang, identCase)).toBe(expected);
  });

  it('refuses kebab case where a dash cannot be part of a name', () => {
    expect(() => toIdent('a-b', 'rust', 'kebab')).toThrow('a kebab-case name is not an identifier in rust');
  });
});

describe('the ident filter in templates', () => {
  const engine = createTemplateEngine();
  it('renders with lang and case', () => {
    expect(engine.renderString('{{ n | ident(lang="rust", case="pascal") }} {{ n | ident(lang="rust", case="snake") }}', { n: 'APIReference' })).toBe(
      'ApiReference api_reference',
    );
    expect(engine.renderString('interface {{ c | ident(lang="ts", case="pascal") }} {}', { c: '3DModel' })).toBe('interface ThreeDModel {}');
  });

  it.each([
    ['{{ n | ident(case="pascal") }}', 'filter `ident` needs lang= one of ts, js, python, rust, go, java, kotlin, csharp, sql, graphql'],
    ['{{ n | ident(lang="cobol", case="pascal") }}', 'filter `ident` needs lang= one of'],
    ['{{ n | ident(lang="ts") }}', 'filter `ident` needs case= one of pascal, camel, snake, screaming_snake, kebab'],
    ['{{ 3 | ident(lang="ts", case="pascal") }}', 'filter `ident` needs a string, got number'],
  ])('%s is refused', (tpl, message) => {
    let err: unknown;
    try {
      engine.renderString(tpl, { n: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GgenError);
    expect((err as GgenError).code).toBe('E_TEMPLATE_RENDER');
    expect((err as GgenError).message).toContain(message);
  });
});
