import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ASSET2_ID, ASSET_ID, PERSON_ID, cells, click, fieldError, makeAsset, makePerson, paged, problem, q, renderFixedAssets, requests, server, text, typeInto } from './harness';

const custody = (assetId: string, tag: string, name: string, patch: Record<string, unknown> = {}) => ({
  id: `c-${assetId}`,
  assetId,
  tag,
  assetName: name,
  bookingId: null,
  holder: { type: 'person', id: PERSON_ID, label: 'Pat Field' },
  checkedOutAt: '2026-11-01T10:00:00.000Z',
  checkedOutBy: 'Ada Admin',
  expectedReturnAt: '2026-11-10T10:00:00.000Z',
  conditionOut: 'good',
  noteOut: null,
  checkedInAt: null,
  checkedInBy: null,
  conditionIn: null,
  noteIn: null,
  outcome: null,
  overdue: false,
  ...patch,
});

describe('people', () => {
  it('lists people with what they hold, and adds one; a taken employee number shows on its field', async () => {
    let created = false;
    server.use(
      http.get('*/api/fixed-assets/persons', ({ request }) => paged([makePerson({ holding: 2 })], request.url)),
      http.post('*/api/fixed-assets/persons', async ({ request }) => {
        const body = (await request.json()) as { employeeNumber?: string };
        if (body.employeeNumber === 'E-7')
          return problem(409, 'fixed-assets/employee-number-taken', 'Employee number taken', 'Another person has the employee number E-7', { field: 'employeeNumber' });
        created = true;
        return HttpResponse.json(makePerson({ id: '0196a1b2-0000-7000-8000-0000000b0002', name: 'Sam Site', employeeNumber: 'E-8' }), { status: 201 });
      }),
      http.get('*/api/fixed-assets/persons/0196a1b2-0000-7000-8000-0000000b0002', () => HttpResponse.json(makePerson({ id: '0196a1b2-0000-7000-8000-0000000b0002', name: 'Sam Site' }))),
      http.get('*/api/fixed-assets/custody', ({ request }) => paged([], request.url)),
      http.get('*/api/fixed-assets/assets', ({ request }) => paged([], request.url)),
    );
    const { router } = await renderFixedAssets('/fixed-assets/persons');
    await vi.waitFor(() => expect(cells('person-link')).toEqual(['Pat Field']));
    expect(cells('person-holding')).toEqual(['2']);
    const list = requests.find((r) => r.url.pathname === '/api/fixed-assets/persons')!;
    expect(Object.fromEntries(list.url.searchParams)).toEqual({ active: 'true', limit: '25', offset: '0' });

    await click('persons-new');
    await typeInto('person-name', 'Sam Site');
    await typeInto('person-employee-number', 'E-7');
    await click('person-save');
    await vi.waitFor(() => expect(fieldError('person-employee-number')).toBe('Another person has the employee number E-7'));
    expect(text('person-error')).toContain('Another person has the employee number E-7');
    await typeInto('person-employee-number', 'E-8');
    await click('person-save');
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/fixed-assets/persons/0196a1b2-0000-7000-8000-0000000b0002'));
    expect(created).toBe(true);
    expect(requests.filter((r) => r.method === 'POST').at(-1)!.body).toEqual({ name: 'Sam Site', email: null, phone: null, employeeNumber: 'E-8', department: null, notes: null });
  });

  it("shows who has what now on a person's page, overdue first, and checks one back in", async () => {
    let open = [custody(ASSET_ID, 'AST-2026-00001', 'ThinkPad T14'), custody(ASSET2_ID, 'AST-2026-00002', 'Projector', { overdue: true })];
    server.use(
      http.get(`*/api/fixed-assets/persons/${PERSON_ID}`, () => HttpResponse.json(makePerson({ holding: open.length }))),
      http.get('*/api/fixed-assets/custody', ({ request }) => {
        const u = new URL(request.url).searchParams;
        expect(u.get('holderPersonId')).toBe(PERSON_ID);
        return paged(u.get('open') === 'true' ? open : [], request.url);
      }),
      http.get('*/api/fixed-assets/assets', ({ request }) => paged([makeAsset(3, { custodian: { type: 'person', id: PERSON_ID, label: 'Pat Field' } })], request.url)),
      http.post(`*/api/fixed-assets/assets/${ASSET2_ID}/check-in`, () => {
        open = open.filter((c) => c.assetId !== ASSET2_ID);
        return HttpResponse.json({ asset: makeAsset(2), custody: custody(ASSET2_ID, 'AST-2026-00002', 'Projector', { checkedInAt: '2026-11-23T10:00:00.000Z' }) });
      }),
    );
    await renderFixedAssets(`/fixed-assets/persons/${PERSON_ID}`);
    await vi.waitFor(() => expect(text('person-title')).toBe('Pat Field'));
    expect(cells('holding-tag')).toEqual(['AST-2026-00002', 'AST-2026-00001']);
    expect(cells('holding-name')).toEqual(['Projector', 'ThinkPad T14']);
    expect(text('person-holding-count')).toBe('2');
    expect(text('person-overdue-count')).toBe('1');
    expect(cells('custodian-tag')).toEqual(['AST-2026-00003']);

    await click('holding-check-in');
    await vi.waitFor(() => expect(q('check-in-dialog')).not.toBeNull());
    await click('check-in-save');
    await vi.waitFor(() => expect(cells('holding-tag')).toEqual(['AST-2026-00001']));
    expect(requests.filter((r) => r.method === 'POST').at(-1)!.body).toEqual({ condition: 'good' });
  });
});
