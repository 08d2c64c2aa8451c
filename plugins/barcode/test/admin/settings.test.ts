import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { cells, click, fieldError, pickLabel, problem, q, renderBarcode, requests, server, text, typeIn } from './harness';

const NOW = '2026-11-23T10:00:00.000Z';
const SETTINGS = { companyPrefix: '9520123', ssccExtensionDigit: 0, nextSscc: 41, nextGiai: 1, nextGrai: 1, updatedAt: NOW };

/**
 * The two SSCCs the server hands out from company prefix 9520123 with extension digit 1 and serial
 * references 41 and 42 (extension · prefix · reference · check digit, as the domain's
 * `allocateSscc` builds them).
 */
const SSCC = [
  { value: '195201230000000414', hri: '(00)195201230000000414' },
  { value: '195201230000000421', hri: '(00)195201230000000421' },
];

const puts = () => requests.filter((r) => r.method === 'PUT' && r.url.pathname === '/api/barcode/settings').map((r) => r.body);
const allocations = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/barcode/allocate').map((r) => r.body);

function settingsApi(initial = SETTINGS) {
  let current = { ...initial };
  server.use(
    http.get('*/api/barcode/settings', () => HttpResponse.json(current)),
    http.put('*/api/barcode/settings', async ({ request }) => {
      const patch = (await request.json()) as Partial<typeof SETTINGS>;
      if (patch.nextSscc !== undefined && patch.nextSscc < current.nextSscc && patch.companyPrefix === undefined) {
        const message = `must not go back below ${current.nextSscc} while the company prefix stays: the keys below it were handed out`;
        return problem(400, 'validation', 'Invalid request', `nextSscc: ${message}`, { errors: [{ field: 'nextSscc', message }] });
      }
      current = { ...current, ...patch };
      return HttpResponse.json(current);
    }),
    http.post('*/api/barcode/allocate', async ({ request }) => {
      const body = (await request.json()) as { key: string; count?: number; assetType?: string };
      if (body.key === 'grai') {
        return problem(422, 'gs1-invalid', 'Invalid GS1 data', 'assetType: 1234567 does not fit the 5 digits the company prefix leaves', { field: 'assetType', code: 'too-long' });
      }
      current = { ...current, nextSscc: current.nextSscc + (body.count ?? 1) };
      return HttpResponse.json({ allocationId: '0196c000-0000-7000-8000-00000000c001', key: body.key, companyPrefix: current.companyPrefix, count: body.count ?? 1, keys: SSCC.slice(0, body.count ?? 1) }, { status: 201 });
    }),
  );
}

describe('GS1 keys page', () => {
  it('saves only what changed, and shows a counter the server refuses next to its field', async () => {
    settingsApi();
    await renderBarcode('/barcode/settings');
    await vi.waitFor(() => expect((q('settings-prefix') as HTMLInputElement | null)?.value).toBe('9520123'));
    expect((q('settings-next-sscc') as HTMLInputElement).value).toBe('41');

    await typeIn('settings-next-giai', '100');
    await typeIn('settings-extension', '3');
    await click('settings-save');
    await vi.waitFor(() => expect(puts()).toEqual([{ ssccExtensionDigit: 3, nextGiai: 100 }]));
    expect(puts().length).toBe(1);

    await typeIn('settings-next-sscc', '7');
    await click('settings-save');
    await vi.waitFor(() => expect(fieldError('settings-next-sscc')).toBe('must not go back below 41 while the company prefix stays: the keys below it were handed out'));
    expect(text('settings-error')).toBe('nextSscc: must not go back below 41 while the company prefix stays: the keys below it were handed out');
    expect(puts()).toEqual([{ ssccExtensionDigit: 3, nextGiai: 100 }, { nextSscc: 7 }]);

    // Checked here first: a prefix is 6 to 12 digits.
    await typeIn('settings-prefix', '12345');
    await click('settings-save');
    await vi.waitFor(() => expect(fieldError('settings-prefix')).toBe('A GS1 Company Prefix has 6 to 12 digits'));
    expect(puts()).toHaveLength(2);
  });

  it('allocates SSCCs, shows them, copies them and downloads them as CSV; the counter moves on', async () => {
    settingsApi();
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const blobs: Blob[] = [];
    const downloads: string[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:keys'));
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const anchorClick = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    try {
      await renderBarcode('/barcode/settings');
      await vi.waitFor(() => expect(q('allocate-submit')).not.toBeNull());
      await typeIn('allocate-count', '2');
      await typeIn('allocate-extension', '1');
      await click('allocate-submit');
      await vi.waitFor(() => expect(cells('allocation-value')).toEqual(SSCC.map((k) => k.value)));
      expect(allocations()).toEqual([{ key: 'sscc', count: 2, extensionDigit: 1 }]);
      expect(cells('allocation-hri')).toEqual(SSCC.map((k) => k.hri));
      expect(text('allocation-key')).toBe('SSCC');
      expect(text('allocation-count')).toBe('2');
      await vi.waitFor(() => expect((q('settings-next-sscc') as HTMLInputElement).value).toBe('43'));

      await click('allocation-copy');
      expect(writeText).toHaveBeenCalledWith('195201230000000414\n195201230000000421');
      await click('allocation-csv');
      expect(downloads).toEqual(['sscc-195201230000000414.csv']);
      expect(await blobs[0]!.text()).toBe('key,value,hri\r\nsscc,195201230000000414,(00)195201230000000414\r\nsscc,195201230000000421,(00)195201230000000421\r\n');
    } finally {
      createObjectURL.mockRestore();
      revoke.mockRestore();
      anchorClick.mockRestore();
      delete (navigator as { clipboard?: unknown }).clipboard;
    }
  });

  it('asks a GRAI for its asset type, and shows the reason the server refuses it next to the field', async () => {
    settingsApi();
    await renderBarcode('/barcode/settings');
    await vi.waitFor(() => expect(q('allocate-key-grai')).not.toBeNull());
    await pickLabel('allocate-key-grai');
    expect(q('allocate-extension')).toBeNull();
    await click('allocate-submit');
    await vi.waitFor(() => expect(fieldError('allocate-asset-type')).toBe('The asset type: 1 to 6 digits'));
    expect(allocations()).toEqual([]);
    await typeIn('allocate-asset-type', '1234567'.slice(0, 6));
    await click('allocate-submit');
    await vi.waitFor(() => expect(text('allocate-error')).toBe('assetType: 1234567 does not fit the 5 digits the company prefix leaves'));
    expect(fieldError('allocate-asset-type')).toBe('assetType: 1234567 does not fit the 5 digits the company prefix leaves');
    expect(allocations()).toEqual([{ key: 'grai', count: 1, assetType: '123456' }]);
    expect(q('allocation')).toBeNull();
  });

  it('without a company prefix, says so and does not allocate', async () => {
    settingsApi({ ...SETTINGS, companyPrefix: null as unknown as string });
    await renderBarcode('/barcode/settings');
    await vi.waitFor(() => expect(q('allocate-no-prefix')).not.toBeNull());
    expect((q('allocate-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('is hidden from users without barcode.manage', async () => {
    settingsApi();
    const { router } = await renderBarcode('/barcode/settings', { permissions: ['barcode.read'] });
    // The shell does not even register a plugin page the user may not see.
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('not-found'));
    expect(q('settings-page')).toBeNull();
    expect(q('nav-barcode-gs1-keys')).toBeNull();
    expect(requests.some((r) => r.url.pathname === '/api/barcode/settings')).toBe(false);
  });
});
