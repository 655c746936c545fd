import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ImportTokensRequest,
  ImportTokensResponse,
  LoginRequest,
  LoginResponse,
  MfaRequest,
  RefreshRequest,
  SessionResponse,
  TokenResponse,
} from '../../contract/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi } from '../ports.js';
import { ERRORS } from './schemas.js';

/** POST /auth/login|mfa|refresh|logout, GET /auth/session (design.md §4). */
export async function authRoutes(app: FastifyInstance, opts: { auth: AuthApi }): Promise<void> {
  const { auth } = opts;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // The client's own address (no proxy trust by default): keys the per-address login limits.
  const ip = (req: { ip: string }) => req.ip;

  r.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        operationId: 'login',
        summary: 'Log in with the Garmin e-mail and password',
        security: [],
        description: 'Answers tokens, or `mfa_required` with a challenge to finish with POST /auth/mfa. The password is never stored.',
        body: LoginRequest,
        response: { 200: LoginResponse, ...ERRORS },
      },
    },
    async (req) => auth.login(req.body, ip(req)),
  );

  r.post(
    '/auth/mfa',
    {
      schema: {
        tags: ['auth'],
        operationId: 'completeMfa',
        summary: 'Finish a login with the MFA code',
        security: [],
        description: 'Wrong code: 401 MFA_CODE_INVALID with attempts_left. Expired or no attempts left: 410 MFA_CHALLENGE_GONE.',
        body: MfaRequest,
        response: { 200: TokenResponse, ...ERRORS },
      },
    },
    async (req) => auth.completeMfa(req.body, ip(req)),
  );

  r.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        operationId: 'refreshTokens',
        summary: 'Rotate the refresh token and get a new access token',
        security: [],
        description: 'A reused (already rotated) refresh token revokes the session (RFC 9700).',
        body: RefreshRequest,
        response: { 200: TokenResponse, ...ERRORS },
      },
    },
    async (req) => auth.refresh(req.body.refresh_token),
  );

  r.post(
    '/auth/import',
    {
      schema: {
        tags: ['auth'],
        operationId: 'importGarminTokens',
        summary: 'Import Garmin tokens saved by another tool',
        description:
          'garth token files or dumps() string, python-garminconnect garmin_tokens.json, or a DI refresh token. With a Bearer token: replaces the caller’s Garmin tokens (`status: "imported"`). Without: `username` names the account and a new session is returned, like a login.',
        security: [{}, ...BEARER],
        body: ImportTokensRequest,
        response: { 200: ImportTokensResponse, ...ERRORS },
      },
    },
    async (req) => {
      // The Bearer token is optional here; when one is sent it must be valid.
      const principal = req.headers.authorization ? await auth.authenticate(req.headers.authorization) : null;
      return auth.importTokens({ username: req.body.username, tokens: req.body.tokens }, ip(req), principal);
    },
  );

  await app.register(async (guarded) => {
    requireAuth(guarded, auth);
    const g = guarded.withTypeProvider<TypeBoxTypeProvider>();
    g.post(
      '/auth/logout',
      {
        schema: {
          tags: ['auth'],
          operationId: 'logout',
          summary: 'Revoke the session',
          security: BEARER,
          response: { 204: Type.Null({ description: 'revoked' }), ...ERRORS },
        },
      },
      async (req, reply) => {
        await auth.logout(principalOf(req));
        return reply.code(204).send(null);
      },
    );
    g.get(
      '/auth/session',
      {
        schema: {
          tags: ['auth'],
          operationId: 'getSession',
          summary: 'The current session and access token (no secrets)',
          security: BEARER,
          response: { 200: SessionResponse, ...ERRORS },
        },
      },
      async (req) => auth.session(principalOf(req)),
    );
  });
}
