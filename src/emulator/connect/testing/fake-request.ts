import { createAccountData, type AccountData } from '../../data/index.js';
import { Router } from '../../http/router.js';
import type { EmuResponse } from '../../http/types.js';
import { TEST_IDENTITY } from '../../data/testing.fixtures.js';
import { createConnectRoutes } from '../index.js';

/** The emulator's one test identity (the data tests use the same), so both suites build the same account. */
export const IDENTITY = TEST_IDENTITY;

/**
 * Calls the Connect routes in-process through the emulator's real router with a fake request,
 * as the server would after a successful Bearer check. End-to-end HTTP tests live with the server.
 */
export interface ConnectHarness {
  data: AccountData;
  get(pathAndQuery: string): Promise<EmuResponse & { json: () => unknown }>;
}

export function connectHarness(options = { seed: 3, activities: 150, days: 60, workouts: 8, endDate: '2026-11-27' }): ConnectHarness {
  const data = createAccountData(IDENTITY, options);
  const router = new Router(createConnectRoutes((id) => (id === IDENTITY.accountId ? data : undefined)));
  return {
    data,
    async get(pathAndQuery) {
      const url = new URL(pathAndQuery, 'http://127.0.0.1');
      const match = router.match('GET', url.pathname, 'connectapi');
      if (!match) throw new Error(`no route for ${url.pathname}`);
      const res = await match.route.handler(
        {
          method: 'GET',
          path: url.pathname,
          query: url.searchParams,
          rawQuery: url.search.slice(1),
          headers: {},
          body: Buffer.alloc(0),
          host: 'connectapi',
          baseUrl: 'http://127.0.0.1',
          params: match.params,
          cookies: {},
        },
        { accountId: IDENTITY.accountId },
      );
      return {
        ...res,
        json: () => (typeof res.body === 'string' ? (JSON.parse(res.body) as unknown) : res.body),
      };
    },
  };
}
