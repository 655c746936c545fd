import type { Command } from 'commander';
import { isAppError } from '../../../core/index.js';
import type { SessionResponse } from '../../../contract/index.js';
import type { CommandContext } from '../../context.js';
import { EXIT, exitCodeFor } from '../../exit-codes.js';
import { examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option('--offline', 'only read the local credentials; do not ask the service')
    .addHelpText('after', examples('garminsync auth status', 'garminsync auth status --json | jq .access_expires_at'));
  ctx.bind<{ offline?: boolean }>(cmd, (c, flags) => runStatus(c, Boolean(flags.offline)));
}

/**
 * Where the credentials are (file or keyring), when each token expires, and what the service
 * says about the session. Exit 4 when not logged in, exit 8 when Garmin's tokens died and a new
 * `auth login` is needed (schedules wait for it), so scripts can test both.
 */
export async function runStatus(ctx: CommandContext, offline: boolean): Promise<number> {
  const { out, clock } = ctx;
  const creds = await ctx.store.load();
  const backend = (await ctx.store.backend()) ?? 'file';
  const storage = { backend, path: ctx.store.path };
  if (!creds) {
    if (out.json) out.document({ server: ctx.server, logged_in: false, credentials: storage });
    else out.info(`Not logged in to ${ctx.server}; run \`garminsync auth login\`. (Credentials would be stored in ${ctx.store.path}.)`);
    return EXIT.LOGIN_REQUIRED;
  }
  let remote: SessionResponse | undefined;
  let remoteError: string | undefined;
  // The local facts are printed either way; the exit code still says the service could not be
  // asked (7 unreachable, …), so `auth status && sync start` does not go on blindly.
  let code: number = EXIT.OK;
  if (!offline) {
    try {
      remote = await ctx.api.sessionInfo();
    } catch (e) {
      if (isAppError(e) && e.code === 'LOGIN_REQUIRED') throw e;
      remoteError = e instanceof Error ? e.message : String(e);
      code = exitCodeFor(e);
    }
  }
  // A refresh may have happened just now: show the tokens as they are stored after it.
  const current = (await ctx.store.load()) ?? creds;
  const reauth = remote?.session.garmin.status === 'reauth_required';
  if (out.json) {
    out.document({
      server: ctx.server,
      logged_in: true,
      username: current.username,
      user_id: current.user_id,
      session_id: current.session_id,
      token_type: current.token_type,
      scope: current.scope,
      mfa_verified: current.mfa_verified,
      access_expires_at: current.expires_at,
      refresh_expires_at: current.refresh_expires_at,
      session_absolute_expires_at: remote?.session.absolute_expires_at ?? current.session_absolute_expires_at ?? null,
      credentials: storage,
      session: remote?.session ?? null,
      token: remote?.token ?? null,
      ...(remoteError ? { service_error: remoteError } : {}),
    });
    return reauth ? EXIT.GARMIN_REAUTH_REQUIRED : code;
  }
  const now = clock.now();
  const whenText = (iso: string, at: number) => out.fmt.when(iso, at);
  const where = backend === 'keyring' ? `OS keyring (metadata in ${ctx.store.path})` : `file ${ctx.store.path} (0600)`;
  const rows: [string, string][] = [
    ['Server', ctx.server],
    ['Account', current.username ?? remote?.session.account?.username ?? current.user_id],
    ['Session', current.session_id],
    ['Credentials', where],
    ['Access token', `expires ${whenText(current.expires_at, now)}`],
    ['Refresh token', `expires ${whenText(current.refresh_expires_at, now)}`],
    ['MFA verified', current.mfa_verified ? 'yes' : 'no'],
  ];
  if (remote) {
    rows.push(['Session state', `${remote.session.status}, ends ${whenText(remote.session.expires_at, now)} unless refreshed`]);
    rows.push(['Session maximum', `ends ${whenText(remote.session.absolute_expires_at, now)} at the latest`]);
    rows.push(['Garmin', reauth ? 'reauth required (schedules paused)' : 'connected']);
    if (remote.session.garmin.last_error) rows.push(['Garmin error', remote.session.garmin.last_error]);
  } else if (remoteError) {
    rows.push(['Service', `not reachable: ${remoteError}`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.data(`${`${k}:`.padEnd(width + 1)} ${v}`);
  if (reauth) {
    out.info('Garmin refused to refresh its tokens; syncs and schedules wait for a new login. Next: garminsync auth login');
    return EXIT.GARMIN_REAUTH_REQUIRED;
  }
  return code;
}
