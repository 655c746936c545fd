/**
 * A child process for the WAL-switch race test: says "ready", then for every line on stdin (a
 * fresh database file, sent to all children at once) opens it as the service does (WAL switch
 * included, no migrations) and prints "opened" or "failed: …".
 * Usage: node --import tsx open-at.ts
 */
import { createInterface } from 'node:readline';
import { Kysely } from 'kysely';
import { createDialect, resolveLocation } from '../dialect.js';

process.stdout.write('ready\n');
for await (const file of createInterface({ input: process.stdin })) {
  try {
    await new Kysely<unknown>({ dialect: await createDialect(resolveLocation({ file })) }).destroy();
    process.stdout.write('opened\n');
  } catch (e) {
    process.stdout.write(`failed: ${(e as Error).message}\n`.replace(/\n(?!$)/g, ' '));
  }
}
