import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { CommandContext } from '../../context.js';
import { EXIT } from '../../exit-codes.js';
import { bytesText } from '../../output/format.js';
import { checkActivityId, usage } from '../errors.js';
import { examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<activity-id>', "Garmin's activity id")
    .option('-o, --output <path>', 'where to write the FIT file (default <id>.fit; - for stdout)')
    .addHelpText('after', examples('garminsync activities download 12345678901', 'garminsync activities download 12345678901 -o - | fitdump'));
  ctx.bind<{ output?: string }>(cmd, (c, flags, args) => runDownload(c, checkActivityId(args[0]!), flags.output));
}

/** Streams the original FIT file to disk (via a temp file and rename) or to stdout. */
export async function runDownload(ctx: CommandContext, id: string, output: string | undefined): Promise<number> {
  const target = output ?? `${id}.fit`;
  if (target === '-' && ctx.io.stdoutIsTTY) throw usage('Refusing to write a binary FIT file to the terminal; use -o <file> or a pipe.');
  const res = await ctx.api.activityFit(id, ctx.io.interrupt);
  if (!res.body) throw usage('The service sent an empty FIT file.');
  const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  let size = 0;
  body.on('data', (chunk: Buffer) => (size += chunk.length));
  if (target === '-') {
    await pipeline(body, ctx.io.stdout, { end: false });
    return EXIT.OK;
  }
  const tmp = `${target}.part`;
  try {
    await pipeline(body, createWriteStream(tmp, { mode: 0o644 }));
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  if (ctx.out.json) ctx.out.document({ activity_id: id, path: target, size_bytes: size });
  else ctx.out.success(`Saved ${target} (${bytesText(size)}).`);
  return EXIT.OK;
}
