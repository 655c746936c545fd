import type { FastifyReply } from 'fastify';
import type { OpenedFit } from '../../sync/index.js';

/**
 * Streams a stored FIT with its size, a download name and the sha256 as ETag (clients that
 * mirror files, like `garminsync export`, compare it with what they have).
 */
export function sendFit(reply: FastifyReply, fit: OpenedFit, filename: string): FastifyReply {
  return reply
    .type('application/vnd.ant.fit')
    .header('content-length', String(fit.size))
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('etag', `"${fit.sha256}"`)
    .send(fit.stream);
}
