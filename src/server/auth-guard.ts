import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/index.js';
import type { AuthApi, Principal } from './ports.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/**
 * Bearer guard for an encapsulated plugin context: every route registered in `scope` needs a
 * valid access token of a live session. Uses are recorded in auth_tokens.last_used_at (to about a second).
 */
export function requireAuth(scope: FastifyInstance, auth: AuthApi): void {
  scope.addHook('onRequest', async (request) => {
    request.principal = await auth.authenticate(request.headers.authorization);
  });
}

/** The caller of a guarded route. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED');
  return request.principal;
}

/** OpenAPI: routes behind the guard. */
export const BEARER = [{ bearer: [] as string[] }];
