import type { TokenResponse } from '../../../contract/index.js';
import { credentialsFrom } from '../../api/session.js';
import type { CommandContext } from '../../context.js';
import { whenText } from '../../output/format.js';
import { EXIT } from '../../exit-codes.js';

/** The server flag to repeat in suggested commands, when the user gave it as a flag. */
export function serverHint(ctx: CommandContext): string {
  return ctx.serverSource === 'flag' ? ` --server ${ctx.server}` : '';
}

/**
 * Stores the tokens of a finished login and reports it. The JSON document and the messages
 * describe the session without ever showing a token.
 */
export async function saveLogin(ctx: CommandContext, username: string | null, tokens: TokenResponse): Promise<number> {
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
    ctx.out.success(`Logged in as ${who}${tokens.mfa_verified ? ' (MFA verified)' : ''}; access token valid until ${whenText(tokens.expires_at, ctx.clock.now())}.`);
    ctx.out.info(`Credentials stored in ${where}.`);
    ctx.out.info(`Next: garminsync sync start --type all --wait${serverHint(ctx)}`);
  }
  return EXIT.OK;
}
