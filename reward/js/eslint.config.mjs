// The default ESLint flat config of the `lint` reward, used when a recipe names no `lint_config` of its own.
//
// What it checks: ESLint's and typescript-eslint's recommended rules (syntax-tree only, no type information: a
// completion is one file with no tsconfig, and type-aware rules cost a TypeScript program per file) and React's two
// hook rules, both as errors: breaking the rules of hooks makes React throw or keep stale state at run time, and a
// missing effect dependency is a stale-closure bug. They are correctness, not taste.
//
// What it leaves out, on purpose:
// - eslint-plugin-react-hooks' React-Compiler rules (`purity`, `refs`, `set-state-in-effect`, ...): they run the
//   compiler on every file and lint ~10x slower (measured by benchmarks/lint_bench.py). A team config may enable them.
// - `import React from 'react'` counted as unused: harmless with the automatic JSX runtime and in most real answers.
// - `no-undef`: TypeScript's job (typescript-eslint turns it off for TS files), and the compile check catches it.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default [
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,jsx,ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^React$' }],
      'no-undef': 'off',
    },
  },
];
