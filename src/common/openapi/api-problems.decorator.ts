import { ApiExtension } from '@nestjs/swagger';

/** The statuses an operation may answer as problem+json. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 503;

/**
 * Documents the problem codes one operation may answer, by status (e.g.
 * `@ApiProblems({ 404: ['REQUEST_NOT_FOUND'], 422: ['CENTRE_QUOTA_EXHAUSTED'] })`). The codes land in the operation's
 * `x-problem-codes` extension, which `withProblemResponses` turns into that operation's own problem answers.
 */
export function ApiProblems(codes: Partial<Record<ProblemStatus, readonly string[]>>): MethodDecorator & ClassDecorator {
  return ApiExtension('x-problem-codes', codes) as MethodDecorator & ClassDecorator;
}
