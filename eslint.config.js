// Lint config: typescript-eslint's recommended rules (syntax-only, fast), over src, test, bench and scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'coverage/**', 'bench/results/**', 'test/**/corpus/**', 'test/**/fixtures/**', 'test/**/golden/**', 'registry/**', 'registry-bundled/**', 'examples/**', '**/*.tera'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', AbortController: 'readonly', fetch: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-control-regex': 'off',
    },
  },
  // Layering: nothing below cli/ imports cli/; cli/ reaches an area only through its index.ts.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli', '**/cli/*'], message: 'only src/cli may import src/cli (the library never prints or exits)' }] }],
      'no-restricted-syntax': ['error',
        { selector: "ImportExpression[source.value=/(^|\\/)cli(\\/|$)/]", message: 'only src/cli may import src/cli' },
        { selector: "MemberExpression[object.name='process'][property.name='exit']", message: 'the library never exits: throw a GgenError and let the CLI map it' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      // generate/start.js is generate's second entry: what a start-up needs before it knows the pipeline must run.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./(graph|template|generate|market|lifecycle|cleanroom|mcp|init)/(?!index\\.js$)(?!(?<=generate/)start\\.js$)', message: "import an area through its index.ts (e.g. '../generate/index.js')" }] }],
      'no-restricted-syntax': ['error', { selector: "ImportExpression[source.value=/^\\.\\.\\/(graph|template|generate|market|lifecycle|cleanroom|mcp|init)\\/(?!index\\.js$)(?!(?<=generate\\/)start\\.js$)/]", message: "import an area through its index.ts (e.g. '../generate/index.js')" }],
    },
  },
);
