import type { Command } from 'commander';
import { JOB_STATUSES, SYNC_TYPES, type JobStatus, type SyncType } from '../../../core/index.js';
import { suggestedServer, type CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { emptyMessage } from '../../output/empty.js';
import { printJobTable } from '../../output/jobs.js';
import { fetchPages, printPagingHint } from '../../output/paging.js';
import { flagParser, parseIntFlag, usage } from '../errors.js';
import { completeFlag, examples, type DefineContext } from '../types.js';

interface ListFlags {
  status?: string;
  type?: string;
  limit: number;
  cursor?: string;
  all?: boolean;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option('-s, --status <status>', `only jobs in this state: ${JOB_STATUSES.join(', ')}`)
    .option('-t, --type <type>', `only this type: ${SYNC_TYPES.join(', ')}`)
    .option(
      '-L, --limit <n>',
      'how many jobs per page (1-100)',
      flagParser((v) => parseIntFlag(v, '--limit', 1, 100)),
      20,
    )
    .option('--cursor <cursor>', 'the next page, as printed by the previous page')
    .option('--all', 'follow every page (--limit is then the page size)')
    .addHelpText(
      'after',
      examples('garminsync sync list', 'garminsync sync list --status failed --type activities', 'garminsync sync list --all --json'),
    );
  completeFlag(cmd, '--status', JOB_STATUSES);
  completeFlag(cmd, '--type', SYNC_TYPES);
  ctx.bind<ListFlags>(cmd, (c, flags) => {
    if (flags.status && !(JOB_STATUSES as readonly string[]).includes(flags.status)) {
      throw usage(`--status must be one of ${JOB_STATUSES.join(', ')}, not "${flags.status}".`);
    }
    if (flags.type && !(SYNC_TYPES as readonly string[]).includes(flags.type)) {
      throw usage(`--type must be one of ${SYNC_TYPES.join(', ')}, not "${flags.type}".`);
    }
    return runList(c, flags);
  });
}

export async function runList(ctx: CommandContext, flags: ListFlags): Promise<number> {
  const filter = { status: flags.status as JobStatus | undefined, sync_type: flags.type as SyncType | undefined };
  const page = await fetchPages((cursor) => ctx.api.listJobs({ ...filter, limit: flags.limit, cursor }), {
    all: Boolean(flags.all),
    cursor: flags.cursor,
    signal: ctx.io.interrupt,
  });
  if (ctx.out.json) {
    ctx.out.document(page);
    return EXIT.OK;
  }
  const filters = [
    ['--status', flags.status],
    ['--type', flags.type],
  ] as const;
  if (page.items.length === 0) {
    const filtered = Boolean(flags.status || flags.type);
    const anyAtAll = filtered ? (await ctx.api.listJobs({ limit: 1 })).items.length > 0 : false;
    ctx.out.info(
      emptyMessage({
        plural: 'sync jobs',
        filters,
        anyWithoutFilters: anyAtAll,
        nothingYet: 'No sync jobs yet.',
        next: 'garminsync sync start --type all --wait',
      }),
    );
    return EXIT.OK;
  }
  printJobTable(ctx.out, page.items, ctx.clock.now());
  printPagingHint(
    ctx.out,
    'sync list',
    [...filters, ['--limit', flags.limit === 20 ? undefined : flags.limit]],
    page.next_cursor,
    suggestedServer(ctx),
  );
  return EXIT.OK;
}
