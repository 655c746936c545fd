import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd.addHelpText(
    'after',
    examples('garminsync auth refresh') + '\nCommands refresh by themselves; this is for checking that the session still works.\n',
  );
  ctx.bind(cmd, (c) => runRefresh(c));
}

/** Refreshes now (under the lock, like automatic refreshes); exit 4 when it is impossible. */
export async function runRefresh(ctx: CommandContext): Promise<number> {
  const creds = await ctx.api.session.refresh(undefined, true);
  if (ctx.out.json) {
    ctx.out.document({
      server: ctx.server,
      session_id: creds.session_id,
      access_expires_at: creds.expires_at,
      refresh_expires_at: creds.refresh_expires_at,
      session_absolute_expires_at: creds.session_absolute_expires_at ?? null,
    });
  } else {
    ctx.out.success(`Session refreshed; the access token is valid until ${ctx.out.fmt.when(creds.expires_at, ctx.clock.now())}.`);
  }
  return EXIT.OK;
}
