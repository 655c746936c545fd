import type { Random } from '../../core/index.js';

/**
 * The system's randomness (WebCrypto), reached only when something is drawn: the CLI needs it
 * for reconnect back-off jitter, and loading node:crypto up front costs every command ~4 ms of
 * start-up (issue 17, row 4).
 */
export const lazyCryptoRandom: Random = {
  uuid: () => globalThis.crypto.randomUUID(),
  bytes: (n) => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(n))),
};
