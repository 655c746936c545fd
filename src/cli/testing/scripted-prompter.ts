import type { Prompter } from '../prompter.js';

/**
 * A Prompter that answers from a script and records what was asked (and whether it was masked).
 * An Error in the script is thrown by that prompt (e.g. the prompt library's ExitPromptError, as
 * on Ctrl-C).
 */
export function scriptedPrompter(answers: (string | Error)[]): Prompter & { asked: { message: string; masked: boolean }[] } {
  const queue = [...answers];
  const asked: { message: string; masked: boolean }[] = [];
  const next = (message: string, masked: boolean) => {
    asked.push({ message, masked });
    const a = queue.shift();
    if (a === undefined) return Promise.reject(new Error(`unexpected prompt: ${message}`));
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  };
  return {
    asked,
    input: (message) => next(message, false),
    password: (message) => next(message, true),
  };
}
