import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const rendererPaths = ['electron', 'fs', 'path'];
const rendererPatterns = [{ group: ['node:*', '**/src-core/*', '!**/src-core/types', '!**/src-core/errors'], message: 'The renderer talks only to the typed API, never to Node or the core.' }];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The core must stay free of UI and shell dependencies.
    files: ['src-core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['electron', 'react', 'react-dom', 'zustand', '../electron/*', '../renderer/*'] }],
    },
  },
  {
    // The shared app-service layer runs under either shell: no Electron, no shell code.
    files: ['electron/app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['electron/*', '../desktop/*', '../web/*', '**/renderer/*'] }],
    },
  },
  {
    // The web shell is plain Node over HTTP: no Electron, nothing of the desktop shell.
    files: ['electron/web/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['electron/*', '../desktop/*', '**/renderer/*'] }],
    },
  },
  {
    // The desktop shell is the only code that imports 'electron'; it never reaches into the web shell.
    files: ['electron/desktop/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../web/*', '**/renderer/*'] }],
    },
  },
  {
    // The renderer talks only to the typed API, never to Node.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: rendererPaths, patterns: rendererPatterns }],
    },
  },
  {
    // Components never call the API: only a feature's action module holds it (the entry point picks it, App hands it on).
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/api/**', 'renderer/main.tsx', 'renderer/App.tsx', 'renderer/contract.ts', 'renderer/app/app-model.ts', 'renderer/features/*/actions.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: rendererPaths,
          patterns: [
            ...rendererPatterns,
            { group: ['**/api', '**/api/*'], message: 'Only a feature’s actions.ts reaches the API; call its actions instead.' },
            { group: ['**/contract'], importNames: ['SnapdeskApi'], message: 'Only a feature’s actions.ts holds the API; call its actions instead.' },
          ],
        },
      ],
    },
  },
);
