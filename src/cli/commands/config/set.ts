import type { Command } from 'commander';
import type { CommandContext } from '../../context.js';
import { CONFIG_KEYS, isConfigKey } from '../../config/config-store.js';
import { EXIT } from '../../exit-codes.js';
import { usage } from '../errors.js';
import { completeArgument, examples, type DefineContext } from '../types.js';

export function define(cmd: Command, ctx: DefineContext): void {
  cmd
    .argument('<key>', `one of ${Object.keys(CONFIG_KEYS).join(', ')}`)
    .argument('[value]', 'the new value; leave out with --unset')
    .option('--unset', 'remove the setting (back to its default)')
    .addHelpText(
      'after',
      examples(
        'garminsync config set server https://sync.example.org',
        'garminsync config set credential_backend file',
        'garminsync config set color --unset',
      ),
    );
  completeArgument(cmd, Object.keys(CONFIG_KEYS));
  ctx.bind<{ unset?: boolean }>(cmd, (c, flags, args) => runSet(c, args[0]!, args[1], Boolean(flags.unset)));
}

export async function runSet(ctx: CommandContext, key: string, value: string | undefined, unset: boolean): Promise<number> {
  if (!isConfigKey(key)) throw usage(`Unknown setting "${key}"; known: ${Object.keys(CONFIG_KEYS).join(', ')}.`);
  if (!unset && value === undefined) throw usage(`Give a value for ${key}, or --unset.`);
  await ctx.config.set(key, unset ? undefined : value);
  const stored = (await ctx.config.read())[key];
  if (ctx.out.json) ctx.out.document({ [key]: stored ?? null });
  else ctx.out.success(unset ? `Removed ${key}.` : `Set ${key}=${stored}.`);
  return EXIT.OK;
}
