import type { Command } from 'commander';
import { JOB_STATUSES, SYNC_TYPES, type JobStatus, type SyncType } from '../../../core/index.js';
import type { CommandContext } from '../../context.js';
import { emptyMessage } from '../../output/empty.js';
import { JOB_COLUMNS, jobRow } from '../../output/jobs.js';
import { usage } from '../errors.js';
import { pagingOptions, runPagedList, type PagingFlags } from '../paged-list.js';
import { completeFlag, examples, type DefineContext } from '../types.js';

interface ListFlags extends PagingFlags {
  status?: string;
  type?: string;
}

const DEFAULT_LIMIT = 20;

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option('-s, --status <status>', `only jobs in this state: ${JOB_STATUSES.join(', ')}`)
    .option('-t, --type <type>', `only this type: ${SYNC_TYPES.join(', ')}`);
  pagingOptions(cmd, { limitHelp: 'how many jobs per page', max: 100, defaultLimit: DEFAULT_LIMIT }).addHelpText(
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

/** Sync jobs, newest first: a table (paged; --all for every page), or --json. */
export function runList(ctx: CommandContext, flags: ListFlags): Promise<number> {
  const filter = { status: flags.status as JobStatus | undefined, sync_type: flags.type as SyncType | undefined };
  const filters = [
    ['--status', flags.status],
    ['--type', flags.type],
  ] as const;
  return runPagedList(ctx, flags, {
    words: 'sync list',
    plural: 'sync jobs',
    defaultLimit: DEFAULT_LIMIT,
    filters,
    fetchPage: (cursor) => ctx.api.listJobs({ ...filter, limit: flags.limit, cursor }),
    emptyMessage: async () => {
      const filtered = Boolean(flags.status || flags.type);
      const anyAtAll = filtered ? (await ctx.api.listJobs({ limit: 1 })).items.length > 0 : false;
      return emptyMessage({
        plural: 'sync jobs',
        filters,
        anyWithoutFilters: anyAtAll,
        nothingYet: 'No sync jobs yet.',
        next: 'garminsync sync start --type all --wait',
      });
    },
    columns: JOB_COLUMNS,
    row: jobRow,
  });
}
