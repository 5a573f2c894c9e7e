// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layer direction is a lint rule (STYLE.md): wire knows no resource, a route never reaches a store or
// SQL, a service never sees Fastify or another family's store, a store never speaks HTTP.
/** @param {string[]} files @param {{ group: string[], message: string }[]} patterns */
const layer = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

// eslint-disable-next-line no-restricted-syntax -- ESLint reads the config from the default export.
export default tseslint.config(
  { ignores: ['node_modules/**', '.teamgraph/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      // Destructuring some keys away to keep the rest is how a row is split into its parts.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' }],
    },
  },
  {
    files: ['src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
        { selector: "CallExpression[callee.property.name='selectAll']", message: 'Name the columns: select(allOf(table)), src/store/columns.ts (docs/decisions.md 86).' },
      ],
    },
  },
  layer(['src/wire/**'], [{ group: ['**/resources/**', '**/store/**', 'kysely'], message: 'wire/ knows no resource family and no store.' }]),
  layer(['src/**/*.routes.ts'], [{ group: ['kysely', '**/*.store.ts', '**/store/**'], message: 'A route never reaches a store; it calls its service.' }]),
  layer(['src/**/*.service.ts'], [
    { group: ['fastify'], message: 'A service never sees Fastify.' },
    { group: ['../*/*.store.ts'], message: "A service never reaches another family's store; ask its service." },
  ]),
  layer(['src/**/*.store.ts', 'src/store/**'], [{ group: ['fastify', '**/wire/**', '**/*.service.ts'], message: 'A store speaks data, never HTTP or Graph.' }]),
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test'] }] }],
      '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-unsafe-call': 'off', '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
