import type { Command } from 'commander';
import { AppError, isAppError } from '../../../core/index.js';
import type { CommandContext } from '../../context.js';
import { isPromptInterrupt } from '../../exit-codes.js';
import { usage } from '../errors.js';
import { examples, type DefineContext } from '../types.js';
import { challengeUsedUp } from './login.js';
import { saveLogin, serverHint } from './tokens.js';

interface MfaFlags {
  challenge: string;
  code?: string;
  username?: string;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .requiredOption('--challenge <id>', 'the challenge id printed by `auth login` (exit 10)')
    .option('--code <code>', 'the MFA code Garmin sent you (env GARMINSYNC_MFA_CODE; asked for on a terminal)')
    .option('-u, --username <email>', 'the e-mail you logged in with, to show in `auth status`')
    .addHelpText(
      'after',
      examples('garminsync auth mfa --challenge 3f1c… --code 123456', 'GARMINSYNC_MFA_CODE=123456 garminsync auth mfa --challenge 3f1c…'),
    );
  ctx.bind<MfaFlags>(cmd, (c, flags) => runMfa(c, flags));
}

/** Finishes a login with the MFA code; a wrong code leaves the challenge open (exit 10). */
export async function runMfa(ctx: CommandContext, flags: MfaFlags): Promise<number> {
  let code = flags.code ?? ctx.env.GARMINSYNC_MFA_CODE;
  if (!code && ctx.io.stdinIsTTY && ctx.io.stderrIsTTY) {
    try {
      code = (await ctx.prompter.input('MFA code:')).trim();
    } catch (e) {
      if (isPromptInterrupt(e))
        ctx.io.stderr.write(`\nInterrupted. Finish later with: garminsync auth mfa --challenge ${flags.challenge}${serverHint(ctx)}\n`);
      throw e;
    }
  }
  if (!code) throw usage('Pass --code (or set GARMINSYNC_MFA_CODE).');
  if (!/^\d{4,10}$/.test(code)) throw usage('The MFA code must be 4 to 10 digits.');
  try {
    return await saveLogin(ctx, flags.username ?? null, await ctx.api.mfa(flags.challenge, code, ctx.io.interrupt));
  } catch (e) {
    if (isAppError(e) && e.code === 'MFA_CODE_INVALID') {
      if (e.details.attempts_left === 0) throw challengeUsedUp(e);
      const left = e.details.attempts_left;
      const attempts = typeof left === 'number' ? ` (${left} attempt${left === 1 ? '' : 's'} left)` : '';
      throw new AppError(
        'MFA_CODE_INVALID',
        `That MFA code is not correct${attempts}; run \`garminsync auth mfa --challenge ${flags.challenge} --code <code>${serverHint(ctx)}\` with the right one.`,
        e.details,
      );
    }
    if (isAppError(e) && (e.code === 'MFA_CHALLENGE_GONE' || e.code === 'NOT_FOUND')) {
      throw new AppError(
        'MFA_CHALLENGE_GONE',
        'This MFA challenge expired or its attempts are used up; run `garminsync auth login` again for a new code.',
        e.details,
      );
    }
    throw e;
  }
}
