// ESLint flat config: type-aware typescript-eslint for the server, tests and web app.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'bench/.out/**',
      'bin/**',
      'scripts/**',
      'web/postcss.config.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Japanese text uses the ideographic space (U+3000) legitimately.
      'no-irregular-whitespace': [
        'error',
        { skipStrings: true, skipTemplates: true, skipRegExps: true, skipComments: true, skipJSXText: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/../../../../*'], message: 'Too deep a relative import: restructure instead.' },
          ],
        },
      ],
    },
  },
  {
    // The dependency rule (docs/ARCHITECTURE.md): domain is pure; only persistence touches Kysely.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/app/**',
                '**/http/**',
                '**/persistence/**',
                '**/jobs/**',
                '**/cli/**',
                '**/config/**',
              ],
              message: 'domain/ is pure: no imports from outer layers.',
            },
            {
              group: ['kysely', 'fastify', 'pg', 'better-sqlite3', 'nodemailer', 'node:fs', 'node:fs/*'],
              message: 'domain/ does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/app/**/*.ts',
      'src/http/**/*.ts',
      'src/jobs/**/*.ts',
      'src/cli/**/*.ts',
      'src/documents/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'kysely', message: 'Only src/persistence imports Kysely.' }] },
      ],
    },
  },
  {
    files: [
      'src/app/**/*.ts',
      'src/domain/**/*.ts',
      'src/persistence/**/*.ts',
      'src/jobs/**/*.ts',
      'src/documents/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/http/**'], message: 'Nothing imports http but the server entry (cli/serve).' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The web app takes the API's reply types from the server's zod schemas, as types only: no
    // server code (nor zod) is bundled. Runtime imports from src/ are the pure domain lists only.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    ignores: ['web/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/http/**', 'zod'],
              allowTypeImports: true,
              message: 'The web imports server schemas as types only (import type).',
            },
            {
              group: ['**/src/app/**', '**/src/persistence/**', '**/src/jobs/**', '**/src/cli/**'],
              message: 'The web imports nothing of the server but domain lists and http schema types.',
            },
            { group: ['**/../../../../*'], message: 'Too deep a relative import: restructure instead.' },
          ],
        },
      ],
    },
  },
);
