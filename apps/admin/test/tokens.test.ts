import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { ApiToken } from '../src/api/types';
import { bodyText, byTestId, click, renderApp, typeInto } from './app';
import { NOW, PERMISSIONS } from './fixtures';
import { requests, server } from './msw';

const SECRET = 'qm_live_7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c1e';

describe('API tokens', () => {
  it('shows a newly created token once, with a copy button, then never again', async () => {
    const tokens: ApiToken[] = [];
    server.use(
      http.get('*/api/core/permissions', () => HttpResponse.json(PERMISSIONS)),
      http.get('*/api/core/api-tokens', () => HttpResponse.json(tokens)),
      http.post('*/api/core/api-tokens', async ({ request }) => {
        const body = (await request.json()) as { name: string; permissions: string[] };
        const apiToken: ApiToken = {
          id: 't1',
          name: body.name,
          prefix: SECRET.slice(0, 12),
          permissions: body.permissions,
          createdAt: NOW,
          expiresAt: null,
          lastUsedAt: null,
          revokedAt: null,
        };
        tokens.push(apiToken);
        return HttpResponse.json({ token: SECRET, apiToken }, { status: 201 });
      }),
    );
    await renderApp('/api-tokens');
    await vi.waitFor(() => expect(byTestId('tokens-table')?.textContent).toContain('No API tokens'));
    await click('token-create');
    await typeInto('token-name', 'ERP sync');
    // The picker groups permissions by plugin; ticking the group selects all of core's.
    byTestId('permission-group-core')!.querySelector<HTMLInputElement>('input')!.click();
    await click('token-save');

    await vi.waitFor(() => expect(byTestId<HTMLInputElement>('token-secret')?.value).toBe(SECRET));
    expect(byTestId('token-copy')).not.toBeNull();
    const post = requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/core/api-tokens')!;
    expect(post.body).toEqual({
      name: 'ERP sync',
      permissions: ['core.audit.read', 'core.items.read', 'core.items.write', 'core.locations.read'],
    });
    await vi.waitFor(() => expect(byTestId('tokens-table')?.textContent).toContain('ERP sync'));

    await click('token-secret-done');
    await vi.waitFor(() => expect(byTestId('token-secret')).toBeNull());
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(bodyText()).toContain(`${SECRET.slice(0, 12)}…`); // the list shows the prefix only
  });
});
