import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isAppError } from '../../core/index.js';
import { ARCHIVE_CORRUPTIONS, writeArchive, type ArchiveCorruption } from './archive.writer.js';

function corruptions(v: string): ArchiveCorruption[] {
  const kinds = v.split(',').map((k) => k.trim());
  const bad = kinds.find((k) => !(ARCHIVE_CORRUPTIONS as readonly string[]).includes(k));
  if (bad !== undefined) throw new InvalidArgumentError(`--corrupt takes ${ARCHIVE_CORRUPTIONS.join(', ')} (comma-separated), not ${bad}.`);
  return kinds as ArchiveCorruption[];
}

export interface ArchiveCommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Today (UTC, YYYY-MM-DD): the default end date, as the emulator uses it. */
  today: string;
}

function int(name: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}.`);
    return n;
  };
}

const EXAMPLES = `
Examples:
  $ garminsync emulator archive --out export.zip
  $ garminsync emulator archive --seed 7 --activities 200 --days 120 --end-date 2026-11-30 --out export.zip
      # the same account data as: garminsync emulator --seed 7 --activities 200 --days 120 --end-date 2026-11-30

The archive follows the layout of Garmin's "Export Your Data" ZIP (docs/emulator.md): nested
UploadedFiles_0-_Part<N>.zip with the original activity FITs and non-activity FITs, summarized
activities in archive units, 100-day UDS/sleep/health-status windows, biometrics, and the
personal files (customer record, contacts, consents, orders) that an importer must skip.`;

/**
 * `garminsync emulator archive`: writes a synthetic Garmin account-export archive consistent with
 * what the emulator's API serves for the same seed, counts and end date. Returns the exit code.
 */
export async function runArchiveCommand(argv: string[], io: ArchiveCommandIO): Promise<number> {
  const program = new Command('garminsync emulator archive')
    .description('Write a synthetic Garmin "Export Your Data" archive for an emulator account.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .requiredOption('--out <FILE.zip>', 'where to write the archive')
    .option('--seed <n>', 'seed of all generated data (as the emulator)', int('seed'), 1)
    .option('--activities <n>', 'activities of the account', int('activities'), 300)
    .option('--days <n>', 'days of daily health data', int('days', 1), 90)
    .option('--workouts <n>', 'workouts of the account', int('workouts'), 12)
    .option('--end-date <YYYY-MM-DD>', 'last day with data (default: today, UTC)')
    .option('--account <email>', 'which demo account', 'demo@example.com')
    .option('--part-size <n>', 'FIT files per UploadedFiles part ZIP', int('part-size', 1), 9000)
    .option('--corrupt <kinds>', `damage entries to test an importer: ${ARCHIVE_CORRUPTIONS.join(', ')}`, corruptions)
    .option('--json', 'print one JSON document describing the archive', false)
    .addHelpText('after', EXAMPLES);
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' ? 0 : 2;
    throw e;
  }
  const o = program.opts<{
    out: string;
    seed: number;
    activities: number;
    days: number;
    workouts: number;
    endDate?: string;
    account: string;
    partSize: number;
    corrupt?: ArchiveCorruption[];
    json: boolean;
  }>();
  try {
    const summary = await writeArchive({ ...o, out: resolve(o.out), endDate: o.endDate ?? io.today });
    if (o.json) io.stdout(`${JSON.stringify(summary)}\n`);
    else
      io.stdout(
        `Wrote ${summary.path} (${summary.bytes} bytes): ${summary.activities} activities, ${summary.days} days, ${summary.activity_fits + summary.other_fits} FIT files in ${summary.parts} part(s) for ${summary.account}.\n`,
      );
    return 0;
  } catch (e) {
    if (isAppError(e)) {
      io.stderr(`garminsync emulator archive: ${e.message}\n`);
      return 2;
    }
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOSPC') {
      io.stderr(`garminsync emulator archive: cannot write ${o.out} (${code}).\n`);
      return 1;
    }
    throw e;
  }
}
