import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * The request log as one line per request, "request completed" (or "request errored") at info
 * with the request, the response and its time in ms, instead of Fastify's two lines, the first
 * being "incoming request" on arrival. "incoming request" is kept at debug, for an operator
 * looking for requests that never end. Every other line Fastify logs (errors, aborted streams,
 * 503 while closing) is unchanged.
 *
 * The "request completed" line skips redaction. Its fields are fixed here: the request as
 * Fastify's `req` serializer sums it up (method, URL, host, address, port, never a header), the
 * status code, the time and the request id. Redaction has nothing to find in them, and running
 * its thirteen paths (six of them wildcards) was half of the line's cost (bench row 5,
 * bench/findings.md). Every other line, "request errored" with its error included, goes through
 * the redacting logger.
 */
export class OneLinePerRequest extends Fastify.LogController {
  /** The service logger (with Fastify's serializers) without redaction, made once per logger. */
  private readonly unredacted = new WeakMap<FastifyBaseLogger, FastifyBaseLogger>();

  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    const line = { [this.requestIdLogLabel]: request.id, req: request, res: reply, responseTime: reply.elapsedTime };
    const unredacted = this.completedLog(request.server.log);
    // The unredacted logger has the service's level; a request whose own logger has another one
    // (a route's logLevel) keeps it, on the redacting path.
    if (unredacted.level === reply.log.level) unredacted.info(line, 'request completed');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }

  private completedLog(service: FastifyBaseLogger): FastifyBaseLogger {
    let log = this.unredacted.get(service);
    if (!log) {
      // pino: a child's `redact` replaces its parent's; no paths means no redaction step at all.
      log = service.child({}, { redact: [] });
      this.unredacted.set(service, log);
    }
    return log;
  }
}
