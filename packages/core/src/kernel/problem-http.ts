import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, problems, type FieldError } from '@quartermaster/sdk';

const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function sendProblem(reply: FastifyReply, problem: ProblemError, instance?: string) {
  // A problem that says when to come back (a full queue, a shutdown) says it in the header too.
  const retry = problem.extensions.retryAfterSeconds;
  if (typeof retry === 'number') reply.header('retry-after', String(retry));
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem.toJSON(instance));
}

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turn Ajv's errors into `{ field, message }` pairs whose field is a dotted path a person can read. */
export function fieldErrorsFromValidation(validation: AjvLikeError[], context?: string): (FieldError & { in?: string })[] {
  const errors = validation.map((v) => {
    const segments = (v.instancePath ?? '').split('/').filter(Boolean);
    if (v.keyword === 'required' && v.params?.missingProperty) segments.push(String(v.params.missingProperty));
    if (v.keyword === 'additionalProperties' && v.params?.additionalProperty) segments.push(String(v.params.additionalProperty));
    let message = v.message ?? 'is invalid';
    if (v.keyword === 'additionalProperties') message = 'is not a known field';
    if (v.keyword === 'required') message = 'is required';
    if (v.keyword === 'enum' && Array.isArray(v.params?.allowedValues)) message = `must be one of: ${(v.params!.allowedValues as unknown[]).join(', ')}`;
    return { field: segments.join('.') || '(root)', message, keyword: v.keyword, nullType: v.keyword === 'type' && v.params?.type === 'null', ...(context ? { in: context } : {}) };
  });
  // A nullable object with a bad member fails both branches of its union: the member's own error
  // says what is wrong, so "must be null" and "must match a schema in anyOf" on its parent are noise.
  const deeper = (field: string) => errors.some((e) => e.field.startsWith(field + '.'));
  return errors
    .filter((e) => !((e.keyword === 'anyOf' || e.nullType) && deeper(e.field)))
    .map(({ keyword: _k, nullType: _n, ...e }) => e);
}

/** Map PostgreSQL errors that can only come from bad input to problems instead of 500s. */
function fromDatabaseError(err: { code?: string; constraint?: string; detail?: string }): ProblemError | null {
  if (err.code === '23505') {
    // The database's own detail quotes index expressions; say it plainly and name the constraint.
    return problems.conflict('duplicate', 'Already exists', 'A record with the same unique value already exists', {
      constraint: err.constraint,
    });
  }
  if (err.code === '23503') {
    return new ProblemError({
      type: 'reference-not-found',
      status: 422,
      title: 'Referenced record not found',
      detail: 'A referenced record does not exist',
      extensions: { constraint: err.constraint },
    });
  }
  if (err.code === '40001' || err.code === '40P01') {
    return new ProblemError({
      type: 'busy',
      status: 503,
      title: 'Try again',
      detail: 'Concurrent changes collided; nothing was changed. Retry the request.',
      extensions: { retryAfterSeconds: 1 },
    });
  }
  if (err.code === '22P02' || err.code === '22003' || err.code === '22007' || err.code === '22008') {
    return new ProblemError({ type: 'validation', status: 400, title: 'Invalid request', detail: 'A value has the wrong form' });
  }
  return null;
}

/** RFC 9457 answers for every error the host sees; 500s never leak internals. */
export function installProblemHandlers(app: FastifyInstance, options: { consoleIndex?: boolean } = {}) {
  app.setErrorHandler((error: FastifyError & { code?: string; cause?: unknown }, request: FastifyRequest, reply: FastifyReply) => {
    const instance = request.url;
    if (error instanceof ProblemError) return sendProblem(reply, error, instance);
    if (error.validation) {
      const errors = fieldErrorsFromValidation(error.validation as AjvLikeError[], error.validationContext);
      return sendProblem(reply, problems.validation(errors), instance);
    }
    const dbProblem = fromDatabaseError(error as never) ?? (error.cause ? fromDatabaseError(error.cause as never) : null);
    if (dbProblem) {
      if (dbProblem.status === 503) reply.header('retry-after', '1');
      return sendProblem(reply, dbProblem, instance);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const type =
        status === 415 ? 'unsupported-media-type' : status === 413 ? 'payload-too-large' : status === 404 ? 'not-found' : 'malformed-request';
      return sendProblem(reply, new ProblemError({ type, status, title: titleFor(status), detail: error.message }), instance);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      reply,
      new ProblemError({ type: 'internal', status: 500, title: 'Internal server error', detail: 'The error was logged; nothing was changed' }),
      instance,
    );
  });
  app.setNotFoundHandler((request, reply) => {
    // History-mode console routes (/items/…) get the console's index.html; the API never does, nor
    // a missing console module file (a module import must fail, not receive HTML).
    const path = request.url.split('?')[0];
    if (options.consoleIndex && request.method === 'GET' && !path.startsWith('/api/') && path !== '/api' && !path.startsWith('/console-modules/')) {
      return (reply as FastifyReply & { sendFile(name: string): FastifyReply }).sendFile('index.html');
    }
    return sendProblem(
      reply,
      new ProblemError({ type: 'route-not-found', status: 404, title: 'Not found', detail: `No route ${request.method} ${request.url.split('?')[0]}` }),
      request.url,
    );
  });
}

function titleFor(status: number): string {
  switch (status) {
    case 400:
      return 'Malformed request';
    case 404:
      return 'Not found';
    case 405:
      return 'Method not allowed';
    case 413:
      return 'Payload too large';
    case 415:
      return 'Unsupported media type';
    case 429:
      return 'Too many requests';
    default:
      return 'Request error';
  }
}
