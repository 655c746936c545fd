import { InvalidArgumentError, type Command } from 'commander';
import { JOB_STATUSES, SYNC_TYPES, type JobStatus, type SyncType } from '../../../core/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { jobTable } from '../../output/jobs.js';
import { parseIntFlag, usage } from '../errors.js';
import { examples, type DefineContext } from '../types.js';

interface ListFlags {
  status?: string;
  type?: string;
  limit: number;
  cursor?: string;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option('-s, --status <status>', `only jobs in this state: ${JOB_STATUSES.join(', ')}`)
    .option('-t, --type <type>', `only this type: ${SYNC_TYPES.join(', ')}`)
    .option(
      '-L, --limit <n>',
      'how many jobs (1-100)',
      (v: string) => {
        try {
          return parseIntFlag(v, '--limit', 1, 100);
        } catch (e) {
          throw new InvalidArgumentError((e as Error).message);
        }
      },
      20,
    )
    .option('--cursor <cursor>', 'the next page, as printed by the previous page')
    .addHelpText('after', examples('garminsync sync list', 'garminsync sync list --status failed --type activities', 'garminsync sync list --json'));
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
  const page = await ctx.api.listJobs({
    status: flags.status as JobStatus | undefined,
    sync_type: flags.type as SyncType | undefined,
    limit: flags.limit,
    cursor: flags.cursor,
  });
  if (ctx.out.json) {
    ctx.out.document(page);
    return EXIT.OK;
  }
  if (page.items.length === 0) ctx.out.info('No sync jobs match. Next: garminsync sync start --type all --wait');
  else for (const line of jobTable(page.items, ctx.clock.now())) ctx.out.data(line);
  if (page.next_cursor) ctx.out.info(`More: garminsync sync list --cursor ${page.next_cursor}`);
  return EXIT.OK;
}
