import type { Command } from 'commander';
import { isAppError } from '../../../core/index.js';
import type { CommandContext } from '../../context.js';
import type { ExposedFile } from '../../credentials/secure-file.js';
import { EXIT } from '../../exit-codes.js';
import { examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd.addHelpText(
    'after',
    examples('garminsync auth logout') +
      '\nA credential file other users can read is revoked and deleted too (that is the safe thing to do with it).\n',
  );
  ctx.bind(cmd, (c) => runLogout(c));
}

/**
 * Revokes the session at the service, then deletes the local credentials in any case. A file
 * the other commands refuse (mode 0644, a symbolic link) is still revoked and deleted: its
 * tokens may have been read, so ending the session is exactly what it needs.
 */
export async function runLogout(ctx: CommandContext): Promise<number> {
  let exposed: ExposedFile | undefined;
  const creds = await ctx.store.loadExposed((e) => (exposed = e));
  if (!creds) {
    if (ctx.out.json) ctx.out.document({ server: ctx.server, logged_out: false, reason: 'not logged in' });
    else ctx.out.info(`Not logged in to ${ctx.server}.`);
    return EXIT.OK;
  }
  let revoked = true;
  let problem: string | undefined;
  try {
    if (exposed) await ctx.api.logoutWith(creds);
    else await ctx.api.logout();
  } catch (e) {
    // An expired session is as good as revoked; anything else is worth saying.
    if (!(isAppError(e) && e.code === 'LOGIN_REQUIRED')) {
      revoked = false;
      problem = e instanceof Error ? e.message : String(e);
    }
  }
  await ctx.store.remove();
  if (ctx.out.json) {
    ctx.out.document({
      server: ctx.server,
      logged_out: true,
      session_id: creds.session_id,
      revoked,
      ...(problem ? { service_error: problem } : {}),
    });
  } else {
    if (exposed) {
      const why =
        exposed.reason === 'symlink'
          ? 'was a symbolic link'
          : `was readable by other users (mode ${exposed.mode?.toString(8).padStart(4, '0')})`;
      ctx.out.warn(
        `The credential file ${exposed.path} ${why}; the session is ${revoked ? 'revoked' : 'not revoked'} and the file deleted.`,
      );
    }
    if (!revoked) ctx.out.warn(`The service could not revoke the session (${problem}); the local credentials are deleted anyway.`);
    ctx.out.success(`Logged out of ${ctx.server}; credentials deleted from ${ctx.store.path}.`);
  }
  return EXIT.OK;
}
