import type { Prompter } from '../prompter.js';

/** A Prompter that answers from a script and records what was asked (and whether it was masked). */
export function scriptedPrompter(answers: string[]): Prompter & { asked: { message: string; masked: boolean }[] } {
  const queue = [...answers];
  const asked: { message: string; masked: boolean }[] = [];
  const next = (message: string, masked: boolean) => {
    asked.push({ message, masked });
    const a = queue.shift();
    if (a === undefined) return Promise.reject(new Error(`unexpected prompt: ${message}`));
    return Promise.resolve(a);
  };
  return {
    asked,
    input: (message) => next(message, false),
    password: (message) => next(message, true),
  };
}
