/**
 * The console's one API client: same-origin JSON over fetch, session cookie, CSRF header on every
 * mutating request, and RFC 9457 problem+json errors parsed into {@link ApiProblem}.
 */

export interface ProblemFieldError {
  field: string;
  message: string;
}

/** A failed request, as the server described it (problem+json) or as we could reconstruct it. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors: ProblemFieldError[];
  /** The whole problem document, including extension members. */
  readonly body: Record<string, unknown>;

  constructor(init: {
    status: number;
    type?: string;
    title?: string;
    detail?: string;
    errors?: ProblemFieldError[];
    body?: Record<string, unknown>;
  }) {
    super(init.detail ?? init.title ?? `Request failed (${init.status})`);
    this.name = 'ApiProblem';
    this.status = init.status;
    this.type = init.type ?? 'about:blank';
    this.title = init.title ?? `Request failed (${init.status})`;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.body = init.body ?? {};
  }

  /** True when the problem `type` ends with the given slug, e.g. `is('location-cycle')`. */
  is(slug: string): boolean {
    return this.type === slug || this.type.endsWith('/' + slug) || this.type.endsWith(':' + slug);
  }

  /**
   * Field errors keyed by form field. `field` may be `name`, `/name`, `body.name` or
   * `/attributes/volts`; the message is available under the full dotted path and under its first
   * segment (`attributes`), so a form item for the whole field shows it too.
   */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) {
      const path = normalizeField(e.field);
      if (!path) continue;
      if (!(path in out)) out[path] = e.message;
      const top = path.split('.')[0]!;
      if (!(top in out)) out[top] = e.message;
    }
    return out;
  }

}

export function normalizeField(field: string): string {
  return field
    .replace(/^\//, '')
    .replace(/^(body)[./]/, '')
    .replace(/\//g, '.')
    .replace(/\[(\d+)\]/g, '.$1');
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ApiClient {
  /** Set from the session response; sent as `x-csrf-token` on mutating requests. */
  csrfToken: string | null = null;
  /** Called when a request other than the session check answers 401 (the session expired). */
  onUnauthorized: (() => void) | null = null;

  constructor(private readonly baseUrl = '') {}

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }
  delete<T = void>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  url(path: string, query?: Query): string {
    const origin = this.baseUrl || (typeof location !== 'undefined' ? location.origin : 'http://localhost');
    const url = new URL(path, origin);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null || v === '') continue;
      url.searchParams.set(k, String(v));
    }
    return url.toString();
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (MUTATING.has(method) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;

    let res: Response;
    try {
      res = await fetch(this.url(path, opts.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new ApiProblem({ status: 0, title: 'Network error', detail: 'The server could not be reached.' });
    }

    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (res.ok) return json as T;

    if (res.status === 401 && this.onUnauthorized && !path.endsWith('/session')) this.onUnauthorized();
    throw problemFrom(res, json);
  }
}

function problemFrom(res: Response, json: unknown): ApiProblem {
  if (json && typeof json === 'object') {
    const p = json as Record<string, unknown>;
    const errors = Array.isArray(p.errors)
      ? (p.errors as unknown[])
          .filter((e): e is ProblemFieldError => !!e && typeof e === 'object' && 'message' in e)
          .map((e) => ({ field: String(e.field ?? ''), message: String(e.message) }))
      : [];
    return new ApiProblem({
      status: typeof p.status === 'number' ? p.status : res.status,
      type: typeof p.type === 'string' ? p.type : undefined,
      title: typeof p.title === 'string' ? p.title : res.statusText || undefined,
      detail: typeof p.detail === 'string' ? p.detail : undefined,
      errors,
      body: p,
    });
  }
  return new ApiProblem({ status: res.status, title: res.statusText || `Request failed (${res.status})` });
}

/** The shared instance the console uses. */
export const api = new ApiClient();
