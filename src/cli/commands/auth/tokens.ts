import type { TokenResponse } from '../../../contract/index.js';
import { credentialsFrom } from '../../api/session.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';

/** The account's e-mail as the service tells it (undefined from a service too old to say). */
export function accountName(tokens: Partial<Pick<TokenResponse, 'account'>>): string | undefined {
  return tokens.account?.username;
}

/** The server flag to repeat in suggested commands, when the user gave it as a flag. */
export function serverHint(ctx: CommandContext): string {
  return ctx.serverSource === 'flag' ? ` --server ${ctx.server}` : '';
}

/**
 * Stores the tokens of a finished login and reports it. The JSON document and the messages
 * describe the session without ever showing a token.
 */
export async function saveLogin(ctx: CommandContext, given: string | null, tokens: TokenResponse): Promise<number> {
  // The service names the Garmin account; the e-mail typed here is only a fallback for a service
  // that does not (older ones), so `auth mfa` without --username no longer shows a user id.
  const username = accountName(tokens) ?? given;
  const creds = credentialsFrom(ctx.server, username, tokens, ctx.clock.now());
  const backend = await ctx.store.save(creds);
  const where = backend === 'keyring' ? `the OS keyring (details in ${ctx.store.path})` : `${ctx.store.path} (mode 0600)`;
  if (ctx.out.json) {
    ctx.out.document({
      status: 'authenticated',
      server: ctx.server,
      username,
      session_id: tokens.session_id,
      user_id: tokens.user_id,
      token_type: tokens.token_type,
      scope: tokens.scope,
      expires_at: tokens.expires_at,
      refresh_expires_at: tokens.refresh_expires_at,
      mfa_verified: tokens.mfa_verified,
      credentials: { backend, path: ctx.store.path },
    });
  } else {
    const who = username ?? tokens.user_id;
    ctx.out.success(
      `Logged in as ${who}${tokens.mfa_verified ? ' (MFA verified)' : ''}; access token valid until ${ctx.out.fmt.when(tokens.expires_at, ctx.clock.now())}.`,
    );
    ctx.out.info(`Credentials stored in ${where}.`);
    ctx.out.info(`Next: garminsync sync start --type all --wait${serverHint(ctx)}`);
  }
  return EXIT.OK;
}
