import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { bodyText, byTestId, click, renderApp, settle } from './app';
import { LOCATION_TREE, problem } from './fixtures';
import { requests, server } from './msw';

function node(name: string) {
  return document.querySelector<HTMLElement>(`[data-testid="location-node"][data-name="${name}"]`)!;
}

describe('locations', () => {
  it('shows the hierarchy as a tree', async () => {
    server.use(http.get('*/api/core/locations/tree', () => HttpResponse.json(LOCATION_TREE)));
    await renderApp('/locations');
    await vi.waitFor(() => expect(node('Bin 3-04')).not.toBeNull());
    expect(node('Main DC').textContent).toContain('site');
    expect(node('Zone A')).not.toBeNull();
  });

  it('creates a child location under the chosen parent', async () => {
    server.use(
      http.get('*/api/core/locations/tree', () => HttpResponse.json(LOCATION_TREE)),
      http.post('*/api/core/locations', async ({ request }) => HttpResponse.json({ id: 'new', ...((await request.json()) as object) }, { status: 201 })),
    );
    await renderApp('/locations');
    await vi.waitFor(() => expect(node('Zone A')).not.toBeNull());
    await click('location-add-child', node('Zone A'));
    expect(byTestId('location-form-parent')?.textContent).toBe('Main DC / Zone A');
    const name = byTestId<HTMLInputElement>('location-form-name')!;
    name.value = 'Bin 3-05';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    await click('location-form-code'); // focus elsewhere, like a user
    await click('location-form-save');
    await vi.waitFor(() =>
      expect(requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/core/locations')?.body).toEqual({
        name: 'Bin 3-05',
        type: 'zone',
        parentId: 'loc-zone',
      }),
    );
  });

  it('shows the server refusal when moving a location under its own descendant (409)', async () => {
    server.use(
      http.get('*/api/core/locations/tree', () => HttpResponse.json(LOCATION_TREE)),
      http.patch('*/api/core/locations/:id', () =>
        problem(409, 'location-cycle', 'Conflict', 'Cannot move “Main DC” under its own descendant “Bin 3-04”.'),
      ),
    );
    await renderApp('/locations');
    await vi.waitFor(() => expect(node('Main DC')).not.toBeNull());
    await click('location-move', node('Main DC'));

    // Open the parent picker and choose Bin 3-04.
    const picker = byTestId('location-move-dialog')!.querySelector<HTMLElement>('.el-select__wrapper')!;
    picker.click();
    await settle();
    const option = [...document.querySelectorAll<HTMLElement>('.el-tree-select__popper .el-tree-node__content')].find((el) =>
      el.textContent?.includes('Bin 3-04'),
    )!;
    option.click();
    await settle();
    await click('location-move-save');

    await vi.waitFor(() =>
      expect(byTestId('location-move-error')?.textContent).toContain('Cannot move “Main DC” under its own descendant “Bin 3-04”.'),
    );
    const patch = requests.find((r) => r.method === 'PATCH')!;
    expect(patch.url.pathname).toBe('/api/core/locations/loc-dc');
    expect(patch.body).toEqual({ parentId: 'loc-bin' });
    expect(byTestId('location-move-dialog')).not.toBeNull(); // still open so the user can pick another parent
    expect(bodyText()).toContain('Cannot move');
  });
});
