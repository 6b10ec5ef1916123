// ESLint flat config: typescript-eslint's recommended rules (type-unaware, so they stay fast), the
// type-aware no-floating-promises, plus the
// layering rule of the architecture: src/core never imports 'vscode', so it runs in plain Node.
// Formatting is Prettier's job (.prettierrc.json); no stylistic rules here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const CORE_NO_VSCODE = 'src/core must not import vscode: keep core testable in plain Node';
const CORE_NO_ADAPTERS = 'src/core must not import src/vscode or src/extension: imports never run back up a layer';
const ONE_SET_CONTEXT = "context keys are set through setContextKey (src/vscode/platform/contextKeys.ts), the one module that names 'setContext'";

export default defineConfig(
  { ignores: ['out/', 'dist/', 'node_modules/', '.cache/', '.vscode-test/', 'test-results/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Every control character in a regex here is on purpose (input validation, stripping ANSI colours, log sanitising).
      'no-control-regex': 'off',
      // `const { at: _at, ...rest } = x` drops a field on purpose: a `_` name means "unused by design".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Type-aware, so only where it pays: a promise nobody awaits, voids or catches loses its failure.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself awaits.
        {
          checkThenables: true,
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after'] }],
        },
      ],
    },
  },
  {
    // One module sets context keys, so every `when` clause's key is listed in one place (ContextKeys).
    files: ['src/**/*.ts'],
    ignores: ['src/vscode/platform/contextKeys.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "Literal[value='setContext']", message: ONE_SET_CONTEXT }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // Covers `import`, `import type`, `export ... from` and `import x = require(...)`.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: CORE_NO_VSCODE }],
          patterns: [{ regex: '^(\\.\\./)+(vscode|extension)(/|$)', message: CORE_NO_ADAPTERS }],
        },
      ],
      // What no-restricted-imports does not see: require('vscode'), import('vscode') and `typeof import('vscode')`.
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: CORE_NO_VSCODE },
        { selector: "ImportExpression[source.value='vscode']", message: CORE_NO_VSCODE },
        { selector: "TSImportType[argument.literal.value='vscode']", message: CORE_NO_VSCODE },
      ],
    },
  },
);
