// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layer direction is a lint rule (STYLE.md, decision 117): wire knows no resource, a route never reaches
// a store or SQL, a service never sees Fastify or another family's store, access checks never reach a
// route, rules are pure, schemas are data, and a family's store reads and writes through the store layer
// only, private to its family. The file's suffix names its layer, and an import's path says where it
// goes: `./` stays in the family's folder, `../other/` leaves it. typescript-eslint's version of
// no-restricted-imports, for `allowTypeImports`: a type is no dependency at run time.
/** @param {string[]} files @param {({ group: string[] } | { regex: string }) & { message: string, allowTypeImports?: boolean }[]} patterns */
const layer = (files, patterns) => ({ files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } });
const storeLayer = String.raw`(\.\./)+store/[\w-]+\.ts`;
const queryLayer = String.raw`(\.\./)+query/[\w-]+\.ts`;
const ownSchemas = String.raw`\./[\w-]+\.schemas\.ts`;

// eslint-disable-next-line no-restricted-syntax -- ESLint reads the config from the default export.
export default tseslint.config(
  // The type-check fixtures are compiled by test/store/param-paths.test.ts, outside the project, as one must fail.
  { ignores: ['node_modules/**', 'dist/**', '.teamgraph/**', 'test/store/typecheck/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js', 'bench/*.js', 'scripts/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
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
        {
          selector: "CallExpression[callee.property.name='selectAll']",
          message: 'Name the columns: select(allOf(table)), src/store/columns.ts (docs/decisions.md 86).',
        },
      ],
    },
  },
  layer(['src/wire/**'], [{ group: ['**/resources/**', '**/store/**', 'kysely'], message: 'wire/ knows no resource family and no store.' }]),
  layer(['src/**/*.routes.ts'], [{ group: ['kysely', '**/*.store.ts', '**/store/**'], message: 'A route never reaches a store; it calls its service.' }]),
  layer(
    ['src/**/*.service.ts'],
    [
      { group: ['fastify'], message: 'A service never sees Fastify.' },
      { group: ['../*/*.store.ts'], message: "A service never reaches another family's store; ask its service." },
    ],
  ),
  layer(
    ['src/**/*.access.ts'],
    [
      { group: ['fastify', '**/*.routes.ts'], message: 'An access check is asked by services; it never sees Fastify or a route.' },
      { group: ['../*/*.store.ts'], message: "An access check never reaches another family's store; ask its service." },
    ],
  ),
  layer(
    ['src/**/*.rules.ts'],
    [
      {
        group: ['fastify', 'kysely', '**/*.store.ts', '**/*.service.ts', '**/*.access.ts', '**/*.routes.ts'],
        message: 'Rules are pure: they decide on the values they are given.',
      },
      { group: ['**/store/**'], allowTypeImports: true, message: 'Rules are pure: they may name the row types, never run a query.' },
    ],
  ),
  layer(
    ['src/**/*.schemas.ts'],
    [
      {
        regex: String.raw`^(?!typebox$|(\.\./)+wire/|(\.\./[\w-]+/|\./)[\w-]+\.schemas\.ts$|(\.\./)+store/schema\.ts$)`,
        message: 'Schemas are data: TypeBox, the wire helpers, and other schemas.',
      },
      {
        regex: String.raw`^(\.\./)+store/schema\.ts$`,
        allowTypeImports: true,
        message: 'Schemas map rows, so they name the row types; nothing else of the store.',
      },
    ],
  ),
  layer(
    ['src/**/*.store.ts'],
    [
      {
        regex: String.raw`^(?!kysely$|node:|${storeLayer}$|\./[\w-]+\.store\.ts$|${queryLayer}$|${ownSchemas}$)`,
        message: "A family's store imports only kysely, the store layer and its own family's stores: never another family's, nor HTTP or Graph.",
      },
      {
        regex: `^(${queryLayer}|${ownSchemas})$`,
        allowTypeImports: true,
        message: "A store takes only types from the query layer and from its family's schemas.",
      },
    ],
  ),
  layer(
    ['src/store/**'],
    [{ group: ['fastify', '**/wire/**', '**/resources/**'], message: 'The store layer speaks data, never HTTP or Graph, and knows no resource family.' }],
  ),
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test'] }] },
      ],
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
