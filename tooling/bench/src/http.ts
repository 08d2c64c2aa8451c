import { Pool } from 'undici';

export interface HttpResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export interface Http {
  get<T = any>(path: string): Promise<HttpResponse<T>>;
  post<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  close(): Promise<void>;
}

/** A keep-alive undici pool to one origin; JSON in, JSON (or text) out; the whole body is always read. */
export function createHttp(baseUrl: string, opts: { token?: string; connections?: number } = {}): Http {
  const pool = new Pool(baseUrl, { connections: opts.connections ?? 16, pipelining: 1 });
  const auth: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse<T>> {
    const res = await pool.request({
      method: method as 'GET',
      path,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    if (String(res.headers['content-type'] ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.statusCode, headers: res.headers, body: parsed as T };
  }
  return {
    request,
    get: (path) => request('GET', path),
    post: (path, body, headers) => request('POST', path, body, headers),
    close: () => pool.close(),
  };
}
