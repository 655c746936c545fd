import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd.addHelpText(
    'after',
    examples('curl -H "Authorization: Bearer $(garminsync auth token)" http://127.0.0.1:8787/api/v1/sync/jobs') +
      '\nPrints the access token on stdout (refreshed first when needed). It is a secret: do not log it.\n',
  );
  ctx.bind(cmd, (c) => runToken(c));
}

/** The one command that prints a token, because that is what it is for (like `gh auth token`). */
export async function runToken(ctx: CommandContext): Promise<number> {
  const token = await ctx.api.session.accessToken();
  if (ctx.out.json) {
    const creds = await ctx.api.session.current();
    ctx.out.document({ access_token: token, token_type: 'Bearer', expires_at: creds.expires_at });
  } else {
    ctx.out.data(token);
  }
  return EXIT.OK;
}
