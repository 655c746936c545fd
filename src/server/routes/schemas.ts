import { Type } from 'typebox';

/** Reference to the shared problem+json schema (registered once with app.addSchema). */
export const ProblemRef = Type.Unsafe<Record<string, unknown>>({ $ref: 'Problem#' });

/** The error answers every route may give, for OpenAPI and serialisation. */
export const ERRORS = { '4xx': ProblemRef, '5xx': ProblemRef } as const;

export const JobIdParams = Type.Object({ job_id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
