import type { Command } from 'commander';
import { isAppError } from '../../../core/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd.addHelpText('after', examples('garminsync auth logout'));
  ctx.bind(cmd, (c) => runLogout(c));
}

/** Revokes the session at the service, then deletes the local credentials in any case. */
export async function runLogout(ctx: CommandContext): Promise<number> {
  const creds = await ctx.store.load();
  if (!creds) {
    if (ctx.out.json) ctx.out.document({ server: ctx.server, logged_out: false, reason: 'not logged in' });
    else ctx.out.info(`Not logged in to ${ctx.server}.`);
    return EXIT.OK;
  }
  let revoked = true;
  let problem: string | undefined;
  try {
    await ctx.api.logout();
  } catch (e) {
    // An expired session is as good as revoked; anything else is worth saying.
    if (!(isAppError(e) && e.code === 'LOGIN_REQUIRED')) {
      revoked = false;
      problem = e instanceof Error ? e.message : String(e);
    }
  }
  await ctx.store.remove();
  if (ctx.out.json) {
    ctx.out.document({ server: ctx.server, logged_out: true, session_id: creds.session_id, revoked, ...(problem ? { service_error: problem } : {}) });
  } else {
    if (!revoked) ctx.out.warn(`The service could not revoke the session (${problem}); the local credentials are deleted anyway.`);
    ctx.out.success(`Logged out of ${ctx.server}; credentials deleted from ${ctx.store.path}.`);
  }
  return EXIT.OK;
}
