// Type-aware lint. The layer rule lives here: the pure core (spec, render, audit checks,
// readiness rules, planning and decisions) may not touch the process, the filesystem or the network.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureCore = [
  'src/spec/**/*.ts',
  'src/render/**/*.ts',
  'src/audit/checks/**/*.ts',
  'src/audit/engine/**/*.ts',
  'src/deploy/readiness/**/*.ts',
  'src/deploy/plan/**/*.ts',
];
const ioModules = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'http',
  'node:http',
  'https',
  'node:https',
  'net',
  'node:net',
  '@kubernetes/client-node',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'sandbox/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-empty': ['error', { allowEmptyCatch: false }],
      complexity: ['error', 25],
      'max-lines': ['error', { max: 600, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: pureCore,
    // Thin I/O adapters of a pure capability live in its `adapters/` subfolder.
    ignores: ['**/*.test.ts', '**/adapters/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules }],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'fetch'],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
);
