import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ArchiveImport, ImportCreated, ImportIdParams, ImportList } from '../../contract/index.js';
import { BEARER, principalOf, requireAuth } from '../auth-guard.js';
import type { AuthApi, ImportsApi } from '../ports.js';
import { importView, jobView } from '../views.js';
import { ERRORS } from './schemas.js';

/**
 * Archive imports (issue 16). The archive is the raw request body (application/zip); its bytes
 * are streamed to the service, never parsed as JSON and never held whole. The size limit is the
 * service's own (`max_bytes` of GET /imports); a larger upload is refused with 413 as soon as it
 * is known to be larger.
 */
export async function importsRoutes(app: FastifyInstance, opts: { auth: AuthApi; imports: ImportsApi }): Promise<void> {
  const { imports } = opts;
  requireAuth(app, opts.auth);
  // The body stays a stream: the service reads it chunk by chunk.
  app.addContentTypeParser(['application/zip', 'application/x-zip-compressed', 'application/octet-stream'], (_req, payload, done) =>
    done(null, payload),
  );
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/imports',
    {
      bodyLimit: imports.maxBytes,
      schema: {
        tags: ['data'],
        operationId: 'createImport',
        summary: 'Upload a Garmin "Export Your Data" archive to import',
        description:
          'The request body is the archive itself (Content-Type: application/zip), up to `max_bytes` of GET /imports. Answers 202 with the import and its `archive` job once every byte arrived; a broken-off or refused upload leaves nothing behind. Follow the job like any sync job.',
        security: BEARER,
        consumes: ['application/zip'],
        response: { 202: ImportCreated, ...ERRORS },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const length = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
      const { import: rec, job } = await imports.upload(
        p.userId,
        p.sessionId,
        req.body as AsyncIterable<Buffer>,
        Number.isFinite(length) ? length : undefined,
      );
      return reply.code(202).send({ import: importView(rec), job: jobView(job) });
    },
  );

  r.get(
    '/imports',
    {
      schema: {
        tags: ['data'],
        operationId: 'listImports',
        summary: 'My archive imports (newest first) and the size limit',
        security: BEARER,
        response: { 200: ImportList, ...ERRORS },
      },
    },
    async (req) => ({ max_bytes: imports.maxBytes, items: (await imports.list(principalOf(req).userId)).map(importView) }),
  );

  r.get(
    '/imports/:import_id',
    {
      schema: {
        tags: ['data'],
        operationId: 'getImport',
        summary: 'One archive import with its report',
        security: BEARER,
        params: ImportIdParams,
        response: { 200: ArchiveImport, ...ERRORS },
      },
    },
    async (req) => importView(await imports.get(principalOf(req).userId, req.params.import_id)),
  );
}
