import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import lockfile from 'proper-lockfile';
import { AppError } from '../../../core/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import {
  EXPORT_FORMATS,
  EXPORT_TYPES,
  exportAll,
  type ExportFormat,
  type ExportSummary,
  type ExportType,
} from '../../export/export.service.js';
import { bytesText } from '../../output/format.js';
import { flagParser, parseDateFlag, usage } from '../errors.js';
import { completeFlag, examples, type DefineContext } from '../types.js';

interface ExportFlags {
  since?: string;
  types: ExportType[];
  formats: ExportFormat[];
  dryRun?: boolean;
  force?: boolean;
}

/** A comma-separated subset of `allowed` ("activities,health"), in the order given, without repeats. */
function parseList<T extends string>(allowed: readonly T[], flag: string) {
  return (value: string): T[] => {
    const parts = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = parts.find((p) => !(allowed as readonly string[]).includes(p));
    if (bad !== undefined || parts.length === 0)
      throw usage(
        `${flag} takes a comma-separated list of ${allowed.join(', ')}${bad === undefined ? '' : `, not "${bad.slice(0, 40)}"`}.`,
      );
    return [...new Set(parts)] as T[];
  };
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<dir>', 'the folder to mirror into (created when missing)')
    .option(
      '--since <date>',
      'only activities and health days from this date on get their files (YYYY-MM-DD)',
      flagParser((v) => parseDateFlag(v, '--since')),
    )
    .option('--types <list>', `what to export: ${EXPORT_TYPES.join(',')}`, flagParser(parseList(EXPORT_TYPES, '--types')), [
      ...EXPORT_TYPES,
    ])
    .option('--formats <list>', `which files: ${EXPORT_FORMATS.join(',')}`, flagParser(parseList(EXPORT_FORMATS, '--formats')), [
      ...EXPORT_FORMATS,
    ])
    .option('-n, --dry-run', 'say what would be written, write nothing')
    .option('-f, --force', 'also replace files you changed since the last export')
    .addHelpText(
      'after',
      '\nA local mirror of everything synced, fetched through the service (it may be remote).\n' +
        'Each run writes only what is new or changed, atomically, and never replaces a file you\n' +
        'changed (it says which; --force replaces them). Safe to run from cron; an interrupted\n' +
        'export resumes. Layout: see docs/cli.md ("export").\n' +
        examples(
          'garminsync export ~/garmin',
          'garminsync export ~/garmin --types activities --formats fit,gpx',
          'garminsync export ~/garmin --dry-run',
          'garminsync export ~/garmin --json | jq .files_written',
        ),
    );
  completeFlag(cmd, '--types', EXPORT_TYPES);
  completeFlag(cmd, '--formats', EXPORT_FORMATS);
  ctx.bind<ExportFlags>(cmd, (c, flags, args) => runExport(c, args[0]!, flags));
}

async function toolVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Runs the export with a bar on a TTY and one summary line (or the --json summary). */
export async function runExport(ctx: CommandContext, dirArg: string, flags: ExportFlags): Promise<number> {
  const dir = resolve(dirArg);
  const dryRun = Boolean(flags.dryRun);
  let release: (() => Promise<void>) | null = null;
  if (!dryRun) {
    await mkdir(dir, { recursive: true });
    try {
      release = await lockfile.lock(dir, {
        lockfilePath: join(dir, '.garminsync-export.lock'),
        stale: 60_000,
        update: 10_000,
        retries: 0,
        realpath: false,
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'ELOCKED')
        throw new AppError('CONFLICT', `Another export into ${dir} is running; try again when it has finished.`);
      throw e;
    }
  }
  const bar =
    ctx.io.stderrIsTTY && !ctx.out.json && !ctx.out.quiet
      ? new cliProgress.SingleBar({
          stream: ctx.io.stderr as NodeJS.WritableStream,
          format: 'export {bar} {value}/{total}',
          hideCursor: true,
          clearOnComplete: true,
          fps: 10,
        })
      : null;
  let started = false;
  let summary: ExportSummary;
  try {
    ({ summary } = await exportAll(ctx.api, {
      dir,
      since: flags.since,
      types: new Set(flags.types),
      formats: new Set(flags.formats),
      dryRun,
      force: Boolean(flags.force),
      version: await toolVersion(),
      server: ctx.server,
      now: () => ctx.clock.now(),
      signal: ctx.io.interrupt,
      progress: (done, total) => {
        if (!bar) return;
        if (!started) bar.start(total, done);
        started = true;
        bar.update(done);
      },
    }));
  } finally {
    if (started) bar?.stop();
    await release?.();
  }
  report(ctx, summary);
  return EXIT.OK;
}

function report(ctx: CommandContext, s: ExportSummary): void {
  if (ctx.out.json) {
    ctx.out.document(s);
    return;
  }
  for (const k of s.kept) ctx.out.warn(`Kept ${k.path}: ${k.reason} (use --force to replace it).`);
  const what = `${s.counts.activities} activities, ${s.counts.workouts} workouts, ${s.counts.health_days} health days`;
  const verb = s.dry_run ? 'would write' : 'wrote';
  if (s.files_written === 0 && s.files_removed === 0) {
    ctx.out.info(
      `Nothing new${s.dry_run ? ' to write' : ''}: ${s.files_unchanged} files up to date in ${s.dir} (${what}).${s.kept.length ? ` ${s.kept.length} kept.` : ''}`,
    );
    return;
  }
  const removed = s.files_removed ? `, ${s.files_removed} renamed away` : '';
  const kept = s.kept.length ? `, ${s.kept.length} kept` : '';
  ctx.out.success(
    `Export ${verb} ${s.files_written} files (${bytesText(s.bytes_written)}), ${s.files_unchanged} unchanged${removed}${kept}, in ${s.dir} (${what}).`,
  );
}
