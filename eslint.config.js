// Lint: typescript-eslint's recommended rules plus the room rules of design.md §2.
// The arrows between rooms are checked here so that `npm test` fails when one is crossed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const ROOMS = ['core', 'transport', 'contract', 'garmin', 'emulator', 'store', 'auth', 'sync', 'server', 'cli'];

// room -> rooms it may import (besides itself)
const ALLOWED = {
  core: [],
  transport: [],
  contract: ['core'],
  garmin: ['core', 'transport'],
  emulator: ['core'],
  store: ['core'],
  auth: ['core', 'store', 'garmin'],
  sync: ['core', 'store', 'garmin'],
  server: ['core', 'contract', 'auth', 'sync', 'store'],
  cli: ['core', 'contract', 'transport'],
};

function zonesFor(extraAllowed = {}) {
  const zones = [];
  for (const room of ROOMS) {
    const allowed = new Set([room, ...ALLOWED[room], ...(extraAllowed[room] ?? [])]);
    for (const other of ROOMS) {
      if (allowed.has(other)) continue;
      zones.push({
        target: `./src/${room}`,
        from: `./src/${other}`,
        message: `design.md §2: the ${room} room may not import the ${other} room.`,
      });
    }
  }
  return zones;
}

const deepImport = {
  regex: `^(\\.\\./)+(${ROOMS.join('|')})/(?!index\\.js$).+`,
  message: 'Use a room through its index.ts (style.md rule 1), not a deep import.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.check.json' })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: zonesFor() }],
      'no-restricted-imports': ['error', { patterns: [deepImport] }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Composition root of the service: the one place that wires the Garmin client into auth/sync.
    files: ['src/server/main.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: zonesFor({ server: ['garmin'] }) }] },
  },
  {
    // Ambient I/O belongs in composition roots and adapters (style.md rule 2).
    files: ['src/**/*.ts'],
    ignores: ['src/**/main.ts', 'src/**/*.test.ts', 'src/**/testing/**', 'src/**/adapters/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Only entry points exit (style.md rule 2).' },
        { object: 'Math', property: 'random', message: 'Inject randomness (style.md rule 2).' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}', 'bench/**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
