/**
 * The emulator's deterministic randomness. Everything the emulator invents (tickets, tokens,
 * MFA codes, fault dice) comes from a seeded stream, so a run with the same seed and the same
 * requests behaves the same way (style.md rule 2: no Math.random below main.ts).
 */
export interface EmuRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** `n` decimal digits (leading zeros allowed). */
  digits(n: number): string;
  /** `n` characters of [A-Za-z0-9]. */
  alnum(n: number): string;
  /** `n` lowercase hex characters. */
  hex(n: number): string;
  /** A version-4 shaped UUID. */
  uuid(): string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Mixes a seed with a label so that independent streams (faults, tokens, …) do not correlate. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/** mulberry32: tiny, fast, and plenty for test data and fault dice. */
export function createRandom(seed: number): EmuRandom {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = (alphabet: string, n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
    return s;
  };
  return {
    next,
    int,
    digits: (n) => pick('0123456789', n),
    alnum: (n) => pick(ALNUM, n),
    hex: (n) => pick('0123456789abcdef', n),
    uuid: () => {
      const h = pick('0123456789abcdef', 32).split('');
      h[12] = '4';
      h[16] = '89ab'[int(4)]!;
      const s = h.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}
