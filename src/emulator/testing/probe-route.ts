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
