import type { EmuRoute } from '../http/types.js';

/** A Bearer-protected route that echoes the resolved account, for tests of the token checks. */
export const bearerProbe: EmuRoute = {
  method: 'GET',
  pattern: '/test-probe/whoami',
  host: 'connectapi',
  name: 'test.whoami',
  auth: 'bearer',
  handler: (_req, ctx) => ({ status: 200, body: { accountId: ctx.accountId } }),
};

/** An unauthenticated route with a 16 KiB body, for truncation and fault tests. */
export const bigProbe: EmuRoute = {
  method: 'GET',
  pattern: '/test-probe/big',
  host: 'connectapi',
  name: 'test.big',
  handler: () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(16 * 1024) }),
};
