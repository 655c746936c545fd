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
