import type { IO } from '../io.js';
import type { Prompter } from '../prompter.js';

/**
 * Prompts with @inquirer/prompts, drawn on stderr so that stdout stays clean for data.
 * Loaded only when a command really asks something.
 */
export function inquirerPrompter(io: IO): Prompter {
  const context = (signal?: AbortSignal) => ({ input: io.stdin, output: io.stderr, signal: signal ?? io.interrupt });
  return {
    async input(message, opts) {
      const { input } = await import('@inquirer/prompts');
      return input({ message, default: opts?.default, validate: (v) => (v.trim() ? true : 'Please type a value.') }, context(opts?.signal));
    },
    async password(message, opts) {
      const { password } = await import('@inquirer/prompts');
      return password({ message, mask: '*', validate: (v) => (v ? true : 'Please type a value.') }, context(opts?.signal));
    },
  };
}
