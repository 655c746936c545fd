import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, isAppError } from '../../../core/index.js';
import type { TokenResponse } from '../../../contract/index.js';
import { sendJson } from '../../api/http.js';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { readAll } from '../../io.js';
import { usage } from '../errors.js';
import { examples, type DefineContext } from '../types.js';
import { saveLogin } from './tokens.js';

interface ImportFlags {
  username?: string;
}

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<path>', 'a garth token directory (oauth1_token.json + oauth2_token.json), a garmin_tokens.json file, or - for stdin')
    .option('-u, --username <email>', 'the Garmin e-mail these tokens belong to')
    .addHelpText(
      'after',
      examples(
        'garminsync auth import ~/.garth',
        'garminsync auth import ~/.garminconnect/garmin_tokens.json',
        'garminsync auth import - < tokens.json',
      ) +
        '\nThe escape hatch for when Garmin changes its login: tokens saved by another tool are sent to\n' +
        'the service (over your connection to it, never anywhere else) and replace the Garmin login.\n',
    );
  ctx.bind<ImportFlags>(cmd, (c, flags, args) => runImport(c, flags, args[0] ?? '-'));
}

/**
 * Reads and recognises a token file; the secrets are sent to the service and never printed.
 * JSON is checked here for a friendly message; other text (garth's base64 `dumps()` string, a
 * bare DI refresh token) is passed on as a string for the service to recognise.
 */
export async function readTokenFile(path: string, stdin: NodeJS.ReadableStream): Promise<{ format: string; tokens: unknown }> {
  const parse = (text: string, what: string): Record<string, unknown> => {
    try {
      const v: unknown = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw usage(`${what} is not a JSON object.`);
  };
  let text: string;
  let what = path;
  if (path === '-') {
    text = await readAll(stdin as never);
    what = 'stdin';
  } else {
    const st = await stat(path).catch(() => undefined);
    if (!st) throw new AppError('NOT_FOUND', `There is no file or directory ${path}.`);
    if (st.isDirectory()) {
      const oauth1 = parse(await readFile(join(path, 'oauth1_token.json'), 'utf8').catch(() => '?'), `${path}/oauth1_token.json`);
      const oauth2 = parse(await readFile(join(path, 'oauth2_token.json'), 'utf8').catch(() => '?'), `${path}/oauth2_token.json`);
      return { format: 'garth', tokens: { oauth1, oauth2 } };
    }
    text = await readFile(path, 'utf8');
  }
  const trimmed = text.trim();
  if (!trimmed) throw usage(`${what} is empty.`);
  if (!trimmed.startsWith('{')) return { format: 'text', tokens: trimmed };
  const doc = parse(trimmed, what);
  if (typeof doc.di_token === 'string' || typeof doc.di_refresh_token === 'string') return { format: 'garminconnect', tokens: doc };
  if (doc.oauth1 && doc.oauth2) return { format: 'garth', tokens: { oauth1: doc.oauth1, oauth2: doc.oauth2 } };
  if (typeof doc.oauth_token === 'string' && typeof doc.oauth_token_secret === 'string')
    return { format: 'garth-oauth1', tokens: { oauth1: doc } };
  throw usage('Not a Garmin token file: expected garth tokens (oauth1_token.json/oauth2_token.json) or garmin_tokens.json (di_token).');
}

export async function runImport(ctx: CommandContext, flags: ImportFlags, path: string): Promise<number> {
  const file = await readTokenFile(path, ctx.io.stdin);
  const body = { format: file.format, username: flags.username, tokens: file.tokens };
  const loggedIn = (await ctx.store.load()) !== undefined;
  let answer: unknown;
  try {
    answer = loggedIn
      ? await ctx.api.authedJson('POST', '/auth/import', { body })
      : await sendJson(ctx.api.http, 'POST', '/auth/import', { body, signal: ctx.io.interrupt });
  } catch (e) {
    if (isAppError(e) && e.details.status === 404) {
      throw new AppError(
        'INTERNAL',
        `The service at ${ctx.server} cannot import Garmin tokens (it has no POST /api/v1/auth/import); update the service.`,
      );
    }
    throw e;
  }
  const tokens = answer as Partial<TokenResponse> | undefined;
  if (tokens?.status === 'authenticated' && tokens.access_token) return saveLogin(ctx, flags.username ?? null, tokens as TokenResponse);
  if (ctx.out.json) ctx.out.document({ imported: true, format: file.format, result: answer ?? null });
  else ctx.out.success(`Imported the Garmin tokens (${file.format}) into the service at ${ctx.server}.`);
  return EXIT.OK;
}
