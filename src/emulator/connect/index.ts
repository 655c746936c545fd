import type { EmuRoute } from '../http/types.js';
import type { AccountData } from '../data/index.js';

/**
 * The Connect API routes (connectapi host, Bearer-protected).
 * PLACEHOLDER: the data helper replaces this with the real routes.
 */
export function createConnectRoutes(_lookup: (accountId: string) => AccountData | undefined): EmuRoute[] {
  return [];
}
