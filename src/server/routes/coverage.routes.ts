import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CoverageQuery, CoverageReport } from '../../contract/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi, CoverageApi } from '../ports.js';
import { requestSignal } from '../request-signal.js';
import { coverageView } from '../views.js';
import { ERRORS } from './schemas.js';

/** GET /coverage: per health family and day, what is stored (contract in src/contract/coverage.ts). */
export async function coverageRoutes(app: FastifyInstance, opts: { auth: AuthApi; coverage: CoverageApi }): Promise<void> {
  requireAuth(app, opts.auth);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/coverage',
    {
      schema: {
        tags: ['data'],
        operationId: 'getCoverage',
        summary: 'Health coverage: per metric family and day, present, empty, missing, failed or partial',
        description:
          'Every day of from–to (default: the 30 days ending today, UTC; at most 3660 days). `source` says whether a stored copy came from the API or an imported archive. `sync start --type health --missing` fetches exactly the missing, failed and partial cells.',
        security: BEARER,
        querystring: CoverageQuery,
        response: { 200: CoverageReport, ...ERRORS },
      },
    },
    async (req, reply) => coverageView(await opts.coverage.report(principalOf(req).userId, req.query, requestSignal(reply))),
  );
}
