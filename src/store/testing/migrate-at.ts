/**
 * A child process for the migration race test: loads the store, says "ready", then for every
 * line on stdin (a database; the parent sends it to all children at once) opens that database,
 * which migrates it, and prints how that went. Loading once keeps many rounds cheap.
 * Usage: node --import tsx migrate-at.ts
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../database.js';

process.stdout.write('ready\n');
for await (const database of createInterface({ input: process.stdin })) {
  try {
    const db = await openDatabase({ url: database });
    await db.destroy();
    process.stdout.write('migrated\n');
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause;
    process.stdout.write(`failed: ${(e as Error).message} ${cause?.message ?? ''}\n`.replace(/\n(?!$)/g, ' '));
  }
}
