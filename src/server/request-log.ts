import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import pino from 'pino';

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
 *
 * Its JSON is built here, not by pino's generic path (serializers, a safe stringify of each object,
 * the line's assembly): with its fields fixed, the line is a template of five escaped strings and
 * three numbers, written to the logger's own destination after the logger's own level, time and
 * bindings, so it is byte for byte the line pino would write (tested against pino's). A logger
 * with anything that reshapes lines (a mixin, log formatters, hooks, another message key, a
 * destination that wants metadata) gets pino's path.
 */
export class OneLinePerRequest extends Fastify.LogController {
  /** The service logger (with Fastify's serializers) without redaction, made once per logger. */
  private readonly unredacted = new WeakMap<FastifyBaseLogger, FastifyBaseLogger>();
  /** The template writer per unredacted logger; null when the logger reshapes lines. */
  private readonly writers = new WeakMap<FastifyBaseLogger, CompletedLineWriter | null>();

  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
      return;
    }
    const unredacted = this.completedLog(request.server.log);
    // The unredacted logger has the service's level; a request whose own logger has another one
    // (a route's logLevel) keeps it, on the redacting path.
    if (unredacted.level !== reply.log.level) {
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
      return;
    }
    if (!(unredacted as unknown as pino.Logger).isLevelEnabled('info')) return;
    const write = this.writerFor(unredacted);
    if (write) write(this.requestIdLogLabel, request, reply);
    else
      unredacted.info(
        { [this.requestIdLogLabel]: request.id, req: request, res: reply, responseTime: reply.elapsedTime },
        'request completed',
      );
  }

  private writerFor(log: FastifyBaseLogger): CompletedLineWriter | null {
    let w = this.writers.get(log);
    if (w === undefined) {
      w = completedLineWriter(log);
      this.writers.set(log, w);
    }
    return w;
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

type CompletedLineWriter = (requestIdLabel: string, request: FastifyRequest, reply: FastifyReply) => void;

/** Pino's state for a logger, read through the symbols pino exports for this (`pino.symbols`). */
interface PinoInternals {
  [key: symbol]: unknown;
}

const S = pino.symbols as unknown as Record<string, symbol>;
/** pino's `needsMetadataGsym`: a destination (multistream) that wants each line's level and object. */
const NEEDS_METADATA = Symbol.for('pino.metadata');

/**
 * The "request completed" line from a template, or null when `log` has anything that would make
 * pino write it differently. Keys and their order are pino's for `{ reqId, req, res, responseTime }`
 * with Fastify's `req` and `res` serializers: `undefined` values are left out, as pino leaves them.
 */
export function completedLineWriter(log: FastifyBaseLogger): CompletedLineWriter | null {
  const p = log as unknown as PinoInternals;
  const levels = p[S.lsCacheSym!] as Record<number, string> | undefined;
  const time = p[S.timeSym!];
  const chindings = p[S.chindingsSym!];
  const end = p[S.endSym!];
  const stream = p[S.streamSym!] as { write?: unknown; [NEEDS_METADATA]?: unknown } | undefined;
  const formatters = p[Symbol.for('pino.formatters')] as { log?: unknown } | undefined;
  const hooks = p[Symbol.for('pino.hooks')] as { logMethod?: unknown; streamWrite?: unknown } | undefined;
  const stringifiers = p[S.stringifiersSym!] as object | undefined;
  const usual =
    typeof levels?.[30] === 'string' &&
    typeof time === 'function' &&
    typeof chindings === 'string' &&
    typeof end === 'string' &&
    typeof stream?.write === 'function' &&
    stream[NEEDS_METADATA] !== true &&
    p[S.messageKeySym!] === 'msg' &&
    !p[S.mixinSym!] &&
    !p[S.nestedKeySym!] &&
    !p[S.msgPrefixSym!] &&
    !formatters?.log &&
    !hooks?.logMethod &&
    !hooks?.streamWrite &&
    (stringifiers === undefined || Object.keys(stringifiers).length === 0);
  if (!usual) return null;
  const head = levels[30] as string;
  const timeNow = time as () => string;
  const write = (stream.write as (s: string) => void).bind(stream);
  const str = JSON.stringify;
  return (requestIdLabel, request, reply) => {
    const version = request.headers['accept-version'];
    const port = request.socket?.remotePort;
    const responseTime = reply.elapsedTime;
    write(
      `${head}${timeNow()}${chindings}` +
        `,${str(requestIdLabel)}:${str(request.id)}` +
        `,"req":{"method":${str(request.method)},"url":${str(request.url)}` +
        `${version !== undefined ? `,"version":${str(version)}` : ''}` +
        `,"host":${str(request.host)},"remoteAddress":${str(request.ip)}` +
        `${port !== undefined ? `,"remotePort":${port}` : ''}}` +
        `,"res":{"statusCode":${reply.statusCode}}` +
        `,"responseTime":${Number.isFinite(responseTime) ? responseTime : null}` +
        `,"msg":"request completed"${end}`,
    );
  };
}
