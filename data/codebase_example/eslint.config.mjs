// Acme's ESLint config (an example of a team's own, used by tests and recipes/tiny-cpu-codebase.yaml through
// `lint_config`). It lints only src/, so the recipe sets `lint_filename: src/App.tsx`; on top of the usual
// recommended sets it asks for strict equality, no console output left in components, and type-only imports
// marked as such.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default defineConfig({
  files: ['src/**/*.{ts,tsx}'],
  extends: [js.configs.recommended, tseslint.configs.recommended],
  plugins: { 'react-hooks': reactHooks },
  rules: {
    'react-hooks/rules-of-hooks': 'error',
    'react-hooks/exhaustive-deps': 'warn',
    'no-undef': 'off',
    eqeqeq: 'error',
    'no-console': 'error',
    '@typescript-eslint/consistent-type-imports': 'warn',
  },
});
