import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ADMIN_SESSION, problem } from './fixtures';

/** Every request the console made, for assertions on URLs, bodies and headers. */
export const requests: { method: string; url: URL; headers: Headers; body: unknown }[] = [];

export const state = { session: ADMIN_SESSION as typeof ADMIN_SESSION | null };

export const defaultHandlers = [
  http.get('*/api/core/session', () => (state.session ? HttpResponse.json(state.session) : problem(401, 'unauthorized', 'Not signed in'))),
  http.delete('*/api/core/session', () => {
    state.session = null;
    return new HttpResponse(null, { status: 204 });
  }),
  http.get('*/api/core/platform', () => HttpResponse.json({ coreVersion: '1.0.0', plugins: [] })),
  http.get('*/api/core/admin-manifest', () => HttpResponse.json({ modules: [], permissions: state.session?.permissions ?? [] })),
  http.get('*/api/core/categories', () => HttpResponse.json([])),
  // Empty pages by default (the dashboard counts); tests override what they look at.
  ...['items', 'locations', 'identifiers', 'users', 'audit'].map((what) =>
    http.get(`*/api/core/${what}`, ({ request }) => {
      const q = new URL(request.url).searchParams;
      return HttpResponse.json({ data: [], total: 0, limit: Number(q.get('limit') ?? 50), offset: Number(q.get('offset') ?? 0) });
    }),
  ),
];

export const server = setupServer(...defaultHandlers);

server.events.on('request:start', async ({ request }) => {
  let body: unknown = undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const text = await request.clone().text();
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
  }
  requests.push({ method: request.method, url: new URL(request.url), headers: request.headers, body });
});
