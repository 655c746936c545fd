import type { Command } from 'commander';
import { AppError, isAppError, type Clock } from '../../../core/index.js';
import type { MfaRequiredResponse, TokenResponse } from '../../../contract/index.js';
import type { ApiClient } from '../../api/client.js';
import type { CommandContext } from '../../context.js';
import { EXIT, isPromptInterrupt } from '../../exit-codes.js';
import { readAll, type IO } from '../../io.js';
import type { Output } from '../../output/output.js';
import type { Prompter } from '../../prompter.js';
import { usage } from '../errors.js';
import { examples, type DefineContext } from '../types.js';
import { saveLogin, serverHint } from './tokens.js';

export interface LoginOptions {
  io: IO;
  api: ApiClient;
  clock: Clock;
  prompter: Prompter;
  out: Output;
  username?: string;
  passwordStdin: boolean;
  /** From --mfa-code or GARMINSYNC_MFA_CODE. */
  mfaCode?: string;
}

interface LoginFlags {
  username?: string;
  passwordStdin?: boolean;
  mfaCode?: string;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .option('-u, --username <email>', 'Garmin account e-mail (asked for on a terminal)')
    .option('--password-stdin', 'read the password from stdin (there is no password flag, on purpose)')
    .option('--mfa-code <code>', 'the MFA code, when you already have it (env GARMINSYNC_MFA_CODE)')
    .addHelpText(
      'after',
      examples(
        'garminsync auth login',
        'printf %s "$GARMIN_PASSWORD" | garminsync auth login --username me@example.com --password-stdin',
        'garminsync auth login -u me@example.com --password-stdin < pw.txt   # exits 10 if a code is needed',
        'garminsync auth mfa --challenge <id> --code 123456',
      ) +
        '\nOn a terminal it asks for the e-mail, the password (masked) and the MFA code; a wrong code\n' +
        'can be typed again. Without a terminal, when Garmin asks for a code and none was given, it\n' +
        'prints the challenge id on stdout and exits 10: finish with `garminsync auth mfa`.\n',
    );
  ctx.bind<LoginFlags>(cmd, async (c: CommandContext, flags) => {
    const code = flags.mfaCode ?? c.env.GARMINSYNC_MFA_CODE;
    return runLogin(
      {
        io: c.io,
        api: c.api,
        clock: c.clock,
        prompter: c.prompter,
        out: c.out,
        username: flags.username,
        passwordStdin: Boolean(flags.passwordStdin),
        mfaCode: code ? code : undefined,
      },
      c,
    );
  });
}

/** Logs in (interactively on a TTY), handles the MFA step, stores the tokens. */
export async function runLogin(opts: LoginOptions, ctx: CommandContext): Promise<number> {
  const { io, out, prompter } = opts;
  const interactive = io.stdinIsTTY && io.stderrIsTTY && !opts.passwordStdin;
  if (!interactive && !opts.passwordStdin) {
    throw usage('Not on a terminal: pass --username and --password-stdin (a password is never a flag).');
  }
  if (!interactive && !opts.username) throw usage('Pass --username with --password-stdin.');
  if (opts.mfaCode !== undefined && !/^\d{4,10}$/.test(opts.mfaCode)) throw usage('The MFA code must be 4 to 10 digits.');

  const username = opts.username ?? (await prompter.input('Garmin e-mail:')).trim();
  const password = opts.passwordStdin ? (await readAll(io.stdin)).replace(/\r?\n$/, '') : await prompter.password('Garmin password:');
  if (!password) throw usage('The password is empty.');

  out.info(`Logging in to Garmin as ${username} through ${opts.api.baseUrl}…`);
  const answer = await opts.api.login(username, password, io.interrupt);
  if (answer.status === 'authenticated') return saveLogin(ctx, username, answer);
  return finishMfa(opts, ctx, username, answer, interactive);
}

/**
 * The MFA step of a login: with a code given, try it; on a terminal, ask (again after a wrong
 * code, on the same challenge); otherwise print the challenge and exit 10.
 */
async function finishMfa(
  opts: LoginOptions,
  ctx: CommandContext,
  username: string,
  challenge: MfaRequiredResponse,
  interactive: boolean,
): Promise<number> {
  const { out } = opts;
  const via = challenge.mfa_method === 'sms' ? 'by text message' : 'by e-mail';
  if (opts.mfaCode) {
    try {
      return await saveLogin(ctx, username, await opts.api.mfa(challenge.challenge_id, opts.mfaCode, opts.io.interrupt));
    } catch (e) {
      if (!isAppError(e) || e.code !== 'MFA_CODE_INVALID') throw e;
      if (e.details.attempts_left === 0) throw challengeUsedUp(e);
      if (!interactive) {
        printChallenge(out, challenge, ctx, username, e);
        out.warn(`That MFA code is not correct${attemptsText(e)}. Try again with:`);
        out.warn(`  ${mfaCommand(challenge, ctx, username)}`);
        return EXIT.MFA_REQUIRED;
      }
      out.warn(`That code is not correct${attemptsText(e)}.`);
    }
  }
  if (!interactive) {
    printChallenge(out, challenge, ctx, username);
    out.info(`Garmin sent a verification code ${via}. Finish the login with:`);
    out.info(`  ${mfaCommand(challenge, ctx, username)}`);
    return EXIT.MFA_REQUIRED;
  }
  out.info(`Garmin sent a verification code ${via}.`);
  for (;;) {
    const code = (await askCode(opts, ctx, challenge, username)).trim();
    if (!/^\d{4,10}$/.test(code)) {
      out.warn('The code is 4 to 10 digits; type it again.');
      continue;
    }
    let tokens: TokenResponse;
    try {
      tokens = await opts.api.mfa(challenge.challenge_id, code, opts.io.interrupt);
    } catch (e) {
      if (isAppError(e) && e.code === 'MFA_CODE_INVALID') {
        if (e.details.attempts_left === 0) throw challengeUsedUp(e);
        out.warn(`That code is not correct${attemptsText(e)}; type it again.`);
        continue;
      }
      throw e;
    }
    return saveLogin(ctx, username, tokens);
  }
}

/**
 * Asks for the code; Ctrl-C there keeps the challenge usable: its id and the command that
 * finishes the login are printed before the exit (130).
 */
async function askCode(opts: LoginOptions, ctx: CommandContext, challenge: MfaRequiredResponse, username: string): Promise<string> {
  try {
    return await opts.prompter.input('MFA code:');
  } catch (e) {
    if (isPromptInterrupt(e)) {
      opts.io.stderr.write(
        `\nInterrupted. The challenge ${challenge.challenge_id} stays open until ${opts.out.fmt.time(challenge.expires_at)}; finish with:\n  ${mfaCommand(challenge, ctx, username)}\n`,
      );
    }
    throw e;
  }
}

/**
 * The last attempt of a challenge was wrong: no code can finish it now, so say so and what to
 * do instead of inviting another try (exit 4, like an expired challenge).
 */
export function challengeUsedUp(e: AppError): AppError {
  return new AppError(
    'MFA_CHALLENGE_GONE',
    'That MFA code is not correct, and it was the last attempt: this login is used up. Run `garminsync auth login` again for a new code.',
    e.details,
  );
}

/** The exact command that finishes the login; the e-mail rides along so `auth status` can show it. */
export function mfaCommand(challenge: { challenge_id: string }, ctx: CommandContext, username?: string): string {
  return `garminsync auth mfa --challenge ${challenge.challenge_id} --code <code>${username ? ` --username ${username}` : ''}${serverHint(ctx)}`;
}

function attemptsText(e: AppError): string {
  const left = e.details.attempts_left;
  return typeof left === 'number' ? ` (${left} attempt${left === 1 ? '' : 's'} left)` : '';
}

/** The open challenge as data: its id alone on stdout, or one JSON document. */
function printChallenge(out: Output, challenge: MfaRequiredResponse, ctx: CommandContext, username: string, wrong?: AppError): void {
  if (out.json) {
    const attempts = wrong?.details.attempts_left;
    out.document({
      ...challenge,
      ...(typeof attempts === 'number' ? { attempts_left: attempts } : {}),
      ...(wrong ? { error: { code: wrong.code, message: wrong.message } } : {}),
      next: mfaCommand(challenge, ctx, username),
    });
  } else {
    out.data(challenge.challenge_id);
  }
}
