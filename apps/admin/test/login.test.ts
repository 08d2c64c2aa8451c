import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../src/api/client';
import { useSessionStore } from '../src/stores/session';
import { ADMIN_SESSION, problem } from './fixtures';
import { bodyText, byTestId, click, renderApp, typeInto } from './app';
import { requests, server, state } from './msw';

describe('login', () => {
  it('redirects to the login page when GET /session answers 401', async () => {
    state.session = null;
    const { router } = await renderApp('/items');
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/items');
    expect(byTestId('login-email')).not.toBeNull();
  });

  it('signs in, stores the CSRF token, and lands where the user was going', async () => {
    state.session = null;
    server.use(
      http.post('*/api/core/session', async ({ request }) => {
        const body = (await request.json()) as { email: string; password: string };
        if (body.email === 'admin@example.com' && body.password === 'secret') {
          state.session = ADMIN_SESSION;
          return HttpResponse.json(ADMIN_SESSION);
        }
        return problem(401, 'invalid-credentials', 'Unauthorized', 'Wrong email or password.');
      }),
      http.get('*/api/core/items', () => HttpResponse.json({ data: [], total: 0, limit: 25, offset: 0 })),
    );
    const { router } = await renderApp('/items');
    await typeInto('login-email', 'admin@example.com');
    await typeInto('login-password', 'secret');
    await click('login-submit');

    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/items'));
    expect(useSessionStore().user?.name).toBe('Ada Admin');
    expect(api.csrfToken).toBe('csrf-123');
    expect(bodyText()).toContain('Ada Admin'); // user menu in the header
    expect(byTestId('nav-items')).not.toBeNull();
    const post = requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/core/session');
    expect(post?.body).toEqual({ email: 'admin@example.com', password: 'secret' });
  });

  it("shows the problem's detail when the server answers 401", async () => {
    state.session = null;
    server.use(
      http.post('*/api/core/session', () => problem(401, 'invalid-credentials', 'Unauthorized', 'Wrong email or password.')),
    );
    const { router } = await renderApp('/login');
    await typeInto('login-email', 'admin@example.com');
    await typeInto('login-password', 'nope');
    await click('login-submit');

    expect(router.currentRoute.value.name).toBe('login');
    expect(byTestId('login-error')?.textContent).toContain('Wrong email or password.');
    expect(useSessionStore().loggedIn).toBe(false);
  });

  it('signs out with DELETE /session, sending the CSRF token', async () => {
    const { router } = await renderApp('/');
    expect(router.currentRoute.value.name).toBe('home');
    await click('logout');
    const del = requests.find((r) => r.method === 'DELETE' && r.url.pathname === '/api/core/session');
    expect(del?.headers.get('x-csrf-token')).toBe('csrf-123');
    expect(router.currentRoute.value.name).toBe('login');
  });
});
