// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const sdks = ['botbuilder', 'botbuilder-*', 'botframework-*', '@microsoft/teams-ai', '@microsoft/teams-ai/*', 'restify', 'restify/*'];
const drivers = ['better-sqlite3', 'pg', 'pg-*', 'kysely'];
const shell = ['**/bot/*', '**/bot/**', '**/cards/*', '**/cards/**'];

/** Patterns no file in a folder may import, with the reason shown to whoever breaks the rule. */
const forbid = (patterns, message) => ['error', { patterns: [{ group: patterns, message }] }];
const noClock = [
  'error',
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time is an argument: take `now` instead of new Date().' },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time is an argument: take `now` instead of Date.now().' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'build/**', 'data/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // House rule 13: no import loops (value imports; test/import-graph.test.ts also follows type-only ones).
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': forbid(sdks, 'Only bot/ may import botbuilder, teams-ai or restify (they move to successors by rewriting one folder).'),
    },
  },
  {
    // The domain core: pure, no shell, no SDKs, no database drivers, no process, no hidden clock.
    files: ['scheduler/**/*.ts'],
    ignores: ['scheduler/store/**'],
    rules: {
      'no-restricted-imports': forbid([...sdks, ...drivers, ...shell], 'The domain core imports nothing from bot/, cards/, SDKs or database drivers.'),
      'no-restricted-globals': ['error', { name: 'process', message: 'Only bot/config.ts reads the environment.' }],
      'no-restricted-syntax': noClock,
    },
  },
  {
    files: ['scheduler/store/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid([...sdks, ...shell], 'The store is below the shell: no bot/, cards/ or SDKs.'),
      'no-restricted-globals': ['error', { name: 'process', message: 'Only bot/config.ts reads the environment.' }],
      'no-restricted-syntax': noClock,
    },
  },
  {
    files: ['cards/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid([...sdks, ...drivers, '**/bot/*', '**/bot/**'], 'Cards are pure: view model in, card JSON out.'),
      'no-restricted-globals': ['error', 'process'],
    },
  },
  {
    files: ['bot/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      // House rule 14: every command and card action passes the gate (bot/routes/gate.ts), so none can forget it.
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='actionExecute']", message: 'Register card actions with gatedAction (bot/routes/gate.ts): authorise first.' },
        { selector: "CallExpression > MemberExpression.callee[property.name='message']", message: 'Register commands with gatedCommand (bot/routes/gate.ts): authorise first.' },
        { selector: "MemberExpression[property.name=/^(messageExtensions|taskModules|meetings)$/]", message: 'Route these through the gate (bot/routes/gate.ts) before using them: authorise first.' },
        { selector: "MemberExpression[object.property.name='adaptiveCards'][property.name='search']", message: 'A Data.Query search names people: route it through the gate (bot/routes/gate.ts).' },
      ],
    },
  },
  {
    // The gate itself, and the help reply and catch-alls that name nothing.
    files: ['bot/routes/gate.ts', 'bot/teams-app.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off', 'no-restricted-globals': 'off' },
  },
);
