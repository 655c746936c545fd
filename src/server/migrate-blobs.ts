/**
 * `garminsync server migrate-blobs [--data-dir DIR] [--database URL]` (issue 12.12): copies the
 * FIT blobs of a file blob store (`DATA_DIR/blobs`) into the PostgreSQL database, where scale mode
 * keeps them. Idempotent (blobs already in the database are skipped) and safe beside running
 * processes (each blob is one transaction); damaged files are counted and left alone.
 */
import { join } from 'node:path';
import envPaths from 'env-paths';
import { isAppError, silentLogger } from '../core/index.js';
import { DIALECT_CAPABILITIES, DbBlobStore, FileBlobStore, migrateBlobs, openDatabase, resolveLocation } from '../store/index.js';
import { parseServerConfig } from './config.js';

const HELP = `Usage: garminsync server migrate-blobs [--data-dir DIR] [--database URL]

Copies the FIT files of DATA_DIR/blobs into the PostgreSQL database given by --database (or
DATABASE_URL), where scale mode keeps them. Safe to run again and beside running processes.
Exit codes: 0 copied, 1 the database or a copy failed, 2 bad arguments.
`;

export async function runMigrateBlobs(argv: string[]): Promise<number> {
  const say = (line: string) => process.stderr.write(`garminsync server migrate-blobs: ${line}\n`);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  let dataDir: string;
  let database: string;
  try {
    ({ dataDir, database } = parseServerConfig(argv, process.env, envPaths('garminsync', { suffix: '' }).data));
    if (!DIALECT_CAPABILITIES[resolveLocation({ url: database }).dialect].blobsInDatabase) {
      say('blobs move into PostgreSQL only; give --database postgres://… (or DATABASE_URL).');
      return 2;
    }
  } catch (e) {
    say((e as Error).message);
    return 2;
  }
  const db = await openDatabase({ url: database }).catch((e: unknown) => e as Error);
  if (db instanceof Error) {
    say(isAppError(db) ? db.message : 'the database could not be opened.');
    return 1;
  }
  try {
    const files = new FileBlobStore(join(dataDir, 'blobs'), { logger: silentLogger });
    const counts = await migrateBlobs(files, new DbBlobStore(db, { now: () => Date.now() }));
    process.stdout.write(
      `copied ${counts.copied} blob(s) into the database; ${counts.present} were there already; ${counts.damaged} damaged file(s) left in ${join(dataDir, 'blobs')}\n`,
    );
    return 0;
  } catch (e) {
    say(isAppError(e) ? e.message : 'copying failed; nothing half-copied is visible, run it again.');
    return 1;
  } finally {
    await db.destroy();
  }
}
