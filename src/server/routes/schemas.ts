import { Type } from 'typebox';

/** Reference to the shared problem+json schema (registered once with app.addSchema). */
export const ProblemRef = Type.Unsafe<Record<string, unknown>>({ $ref: 'Problem#' });

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemRef } },
});

/** The error answers every route may give (RFC 9457 problem+json), for OpenAPI and serialisation. */
export const ERRORS = {
  '4xx': problemResponse('The request was refused; `code` says why.'),
  '5xx': problemResponse('The service or Garmin failed; retry later.'),
} as const;
