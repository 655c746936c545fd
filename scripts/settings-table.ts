// Rewrites the settings table of docs/deployment.md from src/server/settings.ts (npm run docs:settings).
// src/server/config.test.ts fails when the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceSettingsTable } from '../src/server/setting.js';
import { SERVER_SETTINGS } from '../src/server/settings.js';

const path = new URL('../docs/deployment.md', import.meta.url);
writeFileSync(path, replaceSettingsTable(readFileSync(path, 'utf8'), SERVER_SETTINGS));
