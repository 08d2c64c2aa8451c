/**
 * RFC 9457 problem details. Throw a {@link ProblemError} from any route or service and the host
 * answers `application/problem+json` with its status, a stable `type` URI and any extra members.
 */
export const PROBLEM_BASE = 'https://quartermaster.dev/problems/';

/** One field-level complaint inside a validation problem. `field` is a JSON pointer-ish dotted path. */
export interface FieldError {
  field: string;
  message: string;
  /** A stable slug for what is wrong with the field (e.g. `unknown-event`), where a route gives one; clients may switch on it. */
  reason?: string;
}

export interface ProblemInit {
  /** Short slug appended to {@link PROBLEM_BASE}, e.g. `not-found`. Stable: clients switch on it. */
  type: string;
  status: number;
  title: string;
  detail?: string;
  /** Extension members (RFC 9457 §3.2), e.g. `errors`, `currentState`. */
  extensions?: Record<string, unknown>;
}

export class ProblemError extends Error {
  readonly type: string;
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly extensions: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title);
    this.name = 'ProblemError';
    this.type = init.type.includes(':') ? init.type : PROBLEM_BASE + init.type;
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.extensions = init.extensions ?? {};
  }

  toJSON(instance?: string): Record<string, unknown> {
    // Extension members never override the standard ones (RFC 9457 §3.2): a stray `status` would break clients.
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
    };
  }
}

/** Factories for the problems every plugin needs; plugins may mint their own types too. */
export const problems = {
  validation(errors: FieldError[], detail?: string): ProblemError {
    return new ProblemError({
      type: 'validation',
      status: 400,
      title: 'Invalid request',
      detail: detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      extensions: { errors },
    });
  },
  notFound(resource: string, id: string | number): ProblemError {
    return new ProblemError({
      type: 'not-found',
      status: 404,
      title: `${resource} not found`,
      detail: `No ${resource} with id ${id}`,
      extensions: { resource, id: String(id) },
    });
  },
  conflict(type: string, title: string, detail: string, extensions?: Record<string, unknown>): ProblemError {
    return new ProblemError({ type, status: 409, title, detail, extensions });
  },
  unauthenticated(detail = 'Sign in or send an API token'): ProblemError {
    return new ProblemError({ type: 'unauthenticated', status: 401, title: 'Authentication required', detail });
  },
  forbidden(permission: string): ProblemError {
    return new ProblemError({
      type: 'forbidden',
      status: 403,
      title: 'Permission denied',
      detail: `This action needs the permission ${permission}`,
      extensions: { permission },
    });
  },
};
