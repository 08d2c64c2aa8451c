import { CONSOLE_API_KEY } from '@quartermaster/ui';
import { mount } from '@vue/test-utils';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { api } from '../../../../apps/admin/src/api/client';
import DisposalDialog from '../../src/admin/components/DisposalDialog.vue';
import { today } from '../../src/admin/composables/format';
import { ASSET_ID, all, fieldError, makeAsset, pickRadio, problem, q, requests, server, settle, text, typeInto } from './harness';

const SLOW = { timeout: 30_000 };

const bookPreview = (book: string, gainOrLoss: string, netBookValue: string) => ({
  book,
  cost: '1200.00',
  accumulated: '400.00',
  catchUpDepreciation: '20.00',
  netBookValue,
  netProceeds: '450.00',
  gainOrLoss,
});

/** The dialog on its own, as a page opens it (v-model + `disposed`), with the shell's API client. */
async function openDialog(asset: ReturnType<typeof makeAsset>) {
  const disposed: unknown[] = [];
  const open = ref(true);
  const Host = defineComponent({
    setup: () => () =>
      h(DisposalDialog, {
        asset: asset as never,
        modelValue: open.value,
        'onUpdate:modelValue': (v: boolean) => (open.value = v),
        onDisposed: (a: unknown) => disposed.push(a),
      }),
  });
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { render: () => null } }] });
  await router.push('/fixed-assets/assets/x');
  mount(Host, { attachTo: document.body, global: { plugins: [router], provide: { [CONSOLE_API_KEY as symbol]: api } } });
  await settle();
  return { disposed, open };
}

const posted = (path: string) => requests.filter((r) => r.method === 'POST' && r.url.pathname === path);

describe('disposal dialog', () => {
  it('offers what the status allows, previews the gain or loss per book and disposes', SLOW, async () => {
    server.use(
      http.post(`*/api/fixed-assets/assets/${ASSET_ID}/disposal-preview`, async ({ request }) => {
        const b = (await request.json()) as { proceeds?: string };
        const loss = b.proceeds === '500' ? '-350.00' : '-800.00';
        return HttpResponse.json({ disposedOn: today(), currency: 'EUR', books: [bookPreview('financial', loss, '780.00'), bookPreview('tax', '150.00', '300.00')] });
      }),
      http.post(`*/api/fixed-assets/assets/${ASSET_ID}/dispose`, () =>
        HttpResponse.json(
          makeAsset(1, {
            status: 'disposed',
            disposal: {
              kind: 'sold',
              disposedOn: today(),
              proceeds: '500.00',
              costsOfDisposal: '50.00',
              reason: 'Sold to staff',
              books: [{ ...bookPreview('financial', '-350.00', '780.00'), journalEntryId: '91' }],
            },
          }),
        ),
      ),
    );
    const { disposed } = await openDialog(makeAsset(1, { status: 'retired' }));
    expect(all('dispose-kind').length).toBe(1);
    expect(['sold', 'scrapped', 'donated', 'lost', 'stolen'].every((k) => q(`dispose-kind-${k}`))).toBe(true);
    expect(q('dispose-kind-returned')).toBeNull();
    expect(q('dispose-hint')).toBeNull();
    expect(text('dispose-preview-empty')).toContain('Choose how the asset left');

    await pickRadio('dispose-kind-sold');
    await typeInto('dispose-proceeds', '500');
    await typeInto('dispose-costs', '50');
    await vi.waitFor(() => expect(all('dispose-gain-loss').map((e) => e.textContent)).toEqual(['Loss 350.00', 'Gain 150.00']));
    const [loss, gain] = all('dispose-gain-loss');
    expect(loss!.classList.contains('qm-fa-loss')).toBe(true);
    expect(loss!.dataset.sign).toBe('-1');
    expect(gain!.classList.contains('qm-fa-gain')).toBe(true);
    expect(all('dispose-preview-catch-up').map((e) => e.textContent)).toEqual(['20.00', '20.00']);
    const previews = posted(`/api/fixed-assets/assets/${ASSET_ID}/disposal-preview`);
    expect(previews.at(-1)!.body).toEqual({ kind: 'sold', disposedOn: today(), proceeds: '500', costsOfDisposal: '50' });

    const reason = q('dispose-reason') as HTMLTextAreaElement;
    reason.value = 'Sold to staff';
    reason.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(2);
    (q('dispose-confirm') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(q('dispose-done')).not.toBeNull());
    expect(posted(`/api/fixed-assets/assets/${ASSET_ID}/dispose`)[0]!.body).toEqual({ kind: 'sold', disposedOn: today(), proceeds: '500', costsOfDisposal: '50', reason: 'Sold to staff' });
    expect(text('dispose-result-gain-loss')).toBe('Loss 350.00');
    expect(q('dispose-result-journal')!.getAttribute('href')).toContain('/fixed-assets/depreciation/journal?book=financial');
    expect(disposed).toHaveLength(1);
  });

  it('only writes off an asset in service, and says how to sell it', SLOW, async () => {
    server.use(http.post(`*/api/fixed-assets/assets/${ASSET_ID}/disposal-preview`, () => HttpResponse.json({ disposedOn: today(), currency: 'EUR', books: [] })));
    await openDialog(makeAsset(1, { status: 'in-service' }));
    expect(['lost', 'stolen'].every((k) => q(`dispose-kind-${k}`))).toBe(true);
    expect(q('dispose-kind-sold')).toBeNull();
    expect(text('dispose-hint')).toContain('retire the asset first');
    await pickRadio('dispose-kind-lost');
    await vi.waitFor(() => expect(text('dispose-preview-no-books')).toContain('no depreciation book'));
  });

  it('cannot dispose of a disposed asset', SLOW, async () => {
    await openDialog(makeAsset(1, { status: 'disposed' }));
    expect(text('dispose-not-allowed')).toContain('cannot be disposed of');
    expect((q('dispose-confirm') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the server refusing: a closed period next to the date, components as an alert', SLOW, async () => {
    let attempt = 0;
    server.use(
      http.post(`*/api/fixed-assets/assets/${ASSET_ID}/disposal-preview`, () =>
        HttpResponse.json(
          { type: 'fixed-assets/period-closed', title: 'Period closed', status: 409, detail: "The financial book's period ending 2026-10-31 is closed", field: 'disposedOn' },
          { status: 409, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
      http.post(`*/api/fixed-assets/assets/${ASSET_ID}/dispose`, () =>
        ++attempt === 1
          ? HttpResponse.json(
              { type: 'fixed-assets/period-closed', title: 'Period closed', status: 409, detail: "The financial book's period ending 2026-10-31 is closed", field: 'disposedOn' },
              { status: 409, headers: { 'content-type': 'application/problem+json' } },
            )
          : problem(409, 'fixed-assets/has-components', 'Has components', 'Detach its 2 components before disposing of AST-2026-00001'),
      ),
    );
    await openDialog(makeAsset(1, { status: 'retired' }));
    await pickRadio('dispose-kind-scrapped');
    await vi.waitFor(() => expect(fieldError('dispose-date')).toContain('is closed'));
    expect(q('dispose-preview-error')).toBeNull();
    (q('dispose-confirm') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(posted(`/api/fixed-assets/assets/${ASSET_ID}/dispose`)).toHaveLength(1));
    await settle();
    expect(fieldError('dispose-date')).toContain('is closed');
    expect(q('dispose-error')).toBeNull();
    (q('dispose-confirm') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(text('dispose-error')).toBe('Detach its 2 components before disposing of AST-2026-00001'));
    expect(q('dispose-done')).toBeNull();
  });
});
