import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { DEFAULT_SERVER } from '../../context.js';
import { CONFIG_KEYS, isConfigKey } from '../../config/config-store.js';
import { EXIT } from '../../exit-codes.js';
import { usage } from '../errors.js';
import { completeArgument, examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd.argument('[key]', `one of ${Object.keys(CONFIG_KEYS).join(', ')}`).addHelpText(
    'after',
    examples('garminsync config get', 'garminsync config get server') +
      `\nSettings:\n${Object.entries(CONFIG_KEYS)
        .map(([k, v]) => `  ${k.padEnd(20)} ${v}`)
        .join('\n')}\n`,
  );
  completeArgument(cmd, Object.keys(CONFIG_KEYS));
  ctx.bind(cmd, (c, _flags, args) => runGet(c, args[0]));
}

const DEFAULTS: Record<string, string> = { server: DEFAULT_SERVER, credential_backend: 'auto', color: 'auto' };

export async function runGet(ctx: CommandContext, key: string | undefined): Promise<number> {
  if (key !== undefined && !isConfigKey(key)) throw usage(`Unknown setting "${key}"; known: ${Object.keys(CONFIG_KEYS).join(', ')}.`);
  const config = await ctx.config.read();
  const effective: Record<string, string | undefined> = { ...DEFAULTS, ...config, server: ctx.server };
  if (key) {
    const value = effective[key] ?? '';
    if (ctx.out.json) ctx.out.document({ [key]: value });
    else ctx.out.data(value);
    return EXIT.OK;
  }
  if (ctx.out.json) ctx.out.document({ ...effective, config_file: ctx.config.path });
  else {
    for (const k of Object.keys(CONFIG_KEYS)) ctx.out.data(`${k}=${effective[k] ?? ''}`);
    ctx.out.info(`(from ${ctx.config.path}, the environment and defaults)`);
  }
  return EXIT.OK;
}
