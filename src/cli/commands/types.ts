import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** A run function as the program calls it: parsed flags and arguments in, exit code out. */
export type RunFn<F> = (ctx: CommandContext, flags: F, args: string[]) => Promise<number>;

/** Handed to every command's define function to bind its run function to the program. */
export interface DefineContext {
  /** Makes `run` the command's action; its returned number becomes the exit code. */
  bind<F>(cmd: Command, run: RunFn<F>): void;
}

/** What a verb file exports: `define` declares flags, help with examples, and validation. */
export interface CommandModule {
  define(cmd: Command, ctx: DefineContext): void;
}

/** The "Examples:" block every command's --help ends with. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/**
 * What shell completion offers at TAB: fixed words, or a list the service knows, fetched when
 * TAB is pressed (`garminsync completion --values job-ids`; nothing when it is not reachable).
 */
export type CompletionValues = readonly string[] | DynamicValues;
export const DYNAMIC_VALUES = ['job-ids', 'sports'] as const;
export type DynamicValues = (typeof DYNAMIC_VALUES)[number];

const COMPLETIONS = new WeakMap<object, CompletionValues>();

/** Declares the values of `flag` (its long name, `--type`) for shell completion. */
export function completeFlag(cmd: Command, flag: string, values: CompletionValues): Command {
  const option = cmd.options.find((o) => o.long === flag);
  if (!option) throw new Error(`completeFlag: ${cmd.name()} has no ${flag}`);
  COMPLETIONS.set(option, values);
  return cmd;
}

/** Declares the values of the command's first argument (a job id, a shell, a setting). */
export function completeArgument(cmd: Command, values: CompletionValues): Command {
  COMPLETIONS.set(cmd, values);
  return cmd;
}

/** The declared values of an option, or (given a command) of its first argument. */
export function completionValues(target: object): CompletionValues | undefined {
  return COMPLETIONS.get(target);
}
