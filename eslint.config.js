import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Every Node built-in, bare and with the node: prefix. */
const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** The shared rules are imported through their index only, so the module's surface is one file. */
const RULES_INTERNALS = { group: ['**/src-core/rules/*', '**/rules/*'], message: 'import the shared rules from src-core/rules (its index), not its files' };

const rendererPaths = ['electron', 'fs', 'path'];
const rendererPatterns = [
  { group: ['node:*'], message: 'the renderer never uses Node' },
  {
    group: ['**/src-core/*', '!**/src-core/types', '!**/src-core/errors', '!**/src-core/rules'],
    message: 'from the core, the renderer takes only src-core/rules, src-core/types and src-core/errors',
  },
  RULES_INTERNALS,
];

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
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron', 'react', 'react-dom', 'zustand', '../electron/*', '../renderer/*'], message: 'the core never imports UI or shell code' }, RULES_INTERNALS] },
      ],
    },
  },
  {
    // The shared rules run in every process: pure TypeScript that imports nothing but its own files
    // (no Node, no Electron, no React, no other package) and touches no process- or page-only global.
    files: ['src-core/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS,
          patterns: [{ regex: '^(?!\\./[^/]+$)', message: 'src-core/rules is pure: it imports only its own files (./name)' }],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', 'module', '__dirname', '__filename', 'global', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    // The shared app-service layer runs under either shell: no Electron, no shell code. (Every shell
    // uses the shared rules through their index.)
    files: ['electron/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron'], patterns: [{ group: ['electron/*', '../desktop/*', '../web/*', '**/renderer/*'], message: 'the app-service layer is shared by both shells' }, RULES_INTERNALS] },
      ],
    },
  },
  {
    // The web shell is plain Node over HTTP: no Electron, nothing of the desktop shell.
    files: ['electron/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron'], patterns: [{ group: ['electron/*', '../desktop/*', '**/renderer/*'], message: 'the web shell uses neither Electron nor the desktop shell' }, RULES_INTERNALS] },
      ],
    },
  },
  {
    // The desktop shell is the only code that imports 'electron'; it never reaches into the web shell.
    files: ['electron/desktop/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../web/*', '**/renderer/*'], message: 'the desktop shell never reaches into the web shell' }, RULES_INTERNALS] }],
    },
  },
  {
    // The renderer talks only to the typed API, never to Node; from the core it takes the shared
    // rules (src-core/rules), the types and the typed errors, nothing else.
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
