import type { FastifyReply } from 'fastify';

/**
 * An AbortSignal that fires when the client goes away before its answer is complete, so a
 * service can stop work (and a FIT stream stop reading) that nobody will receive. The reply's
 * socket is the witness: the request stream closes as soon as its body is read.
 */
export function requestSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const res = reply.raw;
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'));
  });
  return controller.signal;
}
