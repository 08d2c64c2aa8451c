import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  ASSET,
  ASSET_ID,
  ITEM_ID,
  LOC_ID,
  LOT_ID,
  all,
  cells,
  choose,
  click,
  fieldError,
  paged,
  pickLabel,
  problem,
  q,
  renderBarcode,
  requests,
  server,
  settle,
  text,
  typeIn,
} from './harness';

const ITEM = { id: ITEM_ID, name: 'Saline 0.9 % 500 ml', unitOfMeasure: 'ea', identifiers: [] };
const TREE = [
  {
    id: '0196c000-0000-7000-8000-0000000f0000',
    name: 'Main DC',
    code: 'DC1',
    type: 'site',
    parentId: null,
    path: 'Main DC',
    archived: false,
    children: [{ id: LOC_ID, name: 'Bin 3-04', code: 'B304', type: 'bin', parentId: '0196c000-0000-7000-8000-0000000f0000', path: 'Main DC / Bin 3-04', archived: false, children: [] }],
  },
];
const LOTS = [
  { id: LOT_ID, itemId: ITEM_ID, itemName: ITEM.name, code: 'AB-123', expiresOn: '2029-12-31' },
  { id: '0196c000-0000-7000-8000-0000000a0002', itemId: ITEM_ID, itemName: ITEM.name, code: 'CD-9', expiresOn: null },
];

interface LabelsBody {
  template: Record<string, unknown> & { symbology: string };
  targets: { type: string; id: string }[];
  format: string;
}
const labelPosts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/barcode/labels');
const bodies = () => labelPosts().map((r) => r.body as LabelsBody);

/** Lookups the pickers make, and `POST /labels` answering a page naming what it was asked (GS1-128 refuses locations, as the server does). */
function designerApi() {
  server.use(
    http.get('*/api/core/items', ({ request }) => paged([ITEM], request.url)),
    http.get(`*/api/core/items/${ITEM_ID}`, () => HttpResponse.json(ITEM)),
    http.get('*/api/core/locations/tree', () => HttpResponse.json(TREE)),
    // The "Send to printer" card (printing.test.ts tests it): no printers here.
    http.get('*/api/barcode/printers', () => HttpResponse.json([])),
    http.get('*/api/fixed-assets/assets', ({ request }) => paged([ASSET], request.url)),
    http.get('*/api/inventory/lots', ({ request }) => {
      const code = new URL(request.url).searchParams.get('code');
      return paged(code ? LOTS.filter((l) => l.code === code) : LOTS, request.url);
    }),
    http.post('*/api/barcode/labels', async ({ request }) => {
      const body = (await request.json()) as LabelsBody;
      if (body.template.symbology === 'gs1-128') {
        const i = body.targets.findIndex((t) => t.type === 'location');
        if (i >= 0) {
          return problem(422, 'barcode/no-code', 'Nothing to encode', `targets[${i}]: location ${LOC_ID} has nothing to encode as gs1-128`, {
            field: `targets[${i}]`,
            target: body.targets[i],
          });
        }
      }
      if (body.format === 'zpl') return new HttpResponse('^XA^FDlabel^FS^XZ\n', { headers: { 'content-type': 'text/plain' } });
      return new HttpResponse(`<!doctype html><p>${body.targets.length} labels in ${body.template.symbology}</p>`, { headers: { 'content-type': 'text/html' } });
    }),
  );
}

const sampleSrc = () => new URL(q('label-sample-symbol')!.getAttribute('src')!, 'http://localhost');

async function addItem(copies = '1') {
  await pickLabel('target-type-item');
  await choose('target-item', { testid: 'item-option' });
  await typeIn('target-copies', copies);
  await click('target-add');
  await settle();
}

async function addLocation() {
  await pickLabel('target-type-location');
  q('target-location')!.querySelector<HTMLElement>('.el-select__wrapper')!.click();
  await settle();
  const node = [...document.querySelectorAll<HTMLElement>('.el-tree-node__content')].find((n) => n.textContent?.includes('Bin 3-04'));
  node!.click();
  await settle();
  await click('target-add');
  await settle();
}

describe('label designer', () => {
  it('shows a sample symbol, then a live preview of the picked targets built from the template, and prints it', async () => {
    designerApi();
    await renderBarcode('/barcode/labels', { alsoEnabled: ['inventory', 'fixed-assets'] });
    await vi.waitFor(() => expect(q('label-sample-symbol')).not.toBeNull());
    expect(sampleSrc().pathname).toBe('/api/barcode/symbols');
    expect(sampleSrc().searchParams.get('type')).toBe('qr');
    await choose('label-symbology', { testid: 'option-datamatrix' });
    expect(sampleSrc().searchParams.get('type')).toBe('datamatrix');
    expect(labelPosts()).toHaveLength(0);

    await choose('label-preset', { testid: 'option-a4-3x8' });
    expect((q('label-width') as HTMLInputElement).value).toBe('70');
    expect((q('label-columns') as HTMLInputElement).value).toBe('3');
    await typeIn('label-margin', '4.5');
    await typeIn('label-gap', '2');
    await pickLabel('label-field-lot');
    await choose('label-dpi', { testid: 'option-dpi-300' });
    await addItem('2');
    await addLocation();
    expect(cells('target-row-label')).toEqual(['Saline 0.9 % 500 ml', 'Main DC / Bin 3-04']);
    expect(cells('target-row-copies')).toEqual(['2', '1']);
    expect(text('label-count')).toBe('3 labels');

    await vi.waitFor(() => expect(bodies().at(-1)?.targets).toHaveLength(3), { timeout: 3000 });
    await vi.waitFor(() => expect(q('label-preview')?.getAttribute('srcdoc')).toBe('<!doctype html><p>3 labels in datamatrix</p>'));
    const last = bodies().at(-1)!;
    expect(last).toEqual({
      template: { widthMm: 70, heightMm: 37, columns: 3, rows: 8, marginMm: 4.5, gapMm: 2, symbology: 'datamatrix', fields: ['name', 'code', 'lot'], dpi: 300 },
      targets: [
        { type: 'item', id: ITEM_ID },
        { type: 'item', id: ITEM_ID },
        { type: 'location', id: LOC_ID },
      ],
      format: 'html',
    });
    expect(labelPosts().at(-1)!.headers.get('x-csrf-token')).toBe('csrf-123');
    // The preset no longer describes the sheet once its margin changed.
    expect(text('label-preset')).toContain('Custom');

    const frame = q('label-preview') as HTMLIFrameElement;
    const print = vi.fn();
    Object.defineProperty(frame, 'contentWindow', { value: { focus: vi.fn(), print }, configurable: true });
    await click('label-print');
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('marks the target the server refuses, and recovers when the symbology can carry it', async () => {
    designerApi();
    await renderBarcode('/barcode/labels');
    await vi.waitFor(() => expect(q('label-symbology')).not.toBeNull());
    await choose('label-symbology', { testid: 'option-gs1-128' });
    await addItem();
    await addLocation();
    await vi.waitFor(() => expect(q('label-error')).not.toBeNull(), { timeout: 3000 });
    expect(text('label-error')).toBe(`targets[1]: location ${LOC_ID} has nothing to encode as gs1-128`);
    const rows = all('target-row');
    expect(rows.map((r) => r.querySelector('[data-testid="target-row-error"]')?.textContent ?? null)).toEqual([
      null,
      `targets[1]: location ${LOC_ID} has nothing to encode as gs1-128`,
    ]);
    expect(q('label-preview')).toBeNull();
    expect((q('label-print') as HTMLButtonElement).disabled).toBe(true);

    await choose('label-symbology', { testid: 'option-code128' });
    await vi.waitFor(() => expect(q('label-preview')).not.toBeNull(), { timeout: 3000 });
    expect(q('label-error')).toBeNull();
    expect(q('target-row-error')).toBeNull();

    // Removing every target goes back to the sample.
    for (let i = 0; i < 2; i++) await click('target-remove');
    await vi.waitFor(() => expect(q('label-sample')).not.toBeNull(), { timeout: 3000 });
  });

  it('downloads the same labels as ZPL', async () => {
    designerApi();
    const created: Blob[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (created.push(b as Blob), 'blob:labels'));
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: string[] = [];
    const anchorClick = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    try {
      await renderBarcode('/barcode/labels');
      await vi.waitFor(() => expect(q('target-add')).not.toBeNull());
      await addItem();
      await click('label-zpl');
      await vi.waitFor(() => expect(clicked).toEqual(['labels.zpl']));
      const zpl = bodies().find((b) => b.format === 'zpl')!;
      expect(zpl.targets).toEqual([{ type: 'item', id: ITEM_ID }]);
      expect(zpl.template.symbology).toBe('qr');
      expect(await created[0]!.text()).toBe('^XA^FDlabel^FS^XZ\n');
    } finally {
      createObjectURL.mockRestore();
      revoke.mockRestore();
      anchorClick.mockRestore();
    }
  });

  it('offers assets and lots only when their plugins are enabled, and labels them by tag and lot', async () => {
    designerApi();
    await renderBarcode('/barcode/labels', { alsoEnabled: ['inventory', 'fixed-assets'] });
    await vi.waitFor(() => expect(q('target-type-lot')).not.toBeNull());
    await pickLabel('target-type-asset');
    await choose('target-asset', { testid: 'target-asset-option' });
    await click('target-add');
    await pickLabel('target-type-lot');
    await choose('target-lot', 'lot AB-123');
    await click('target-add');
    await vi.waitFor(() => expect(cells('target-row-label')).toEqual(['AST-2026-00001 · Compressor 1', 'Saline 0.9 % 500 ml · lot AB-123 · exp 2029-12-31']));
    await vi.waitFor(() => expect(bodies().at(-1)?.targets).toEqual([{ type: 'asset', id: ASSET_ID }, { type: 'lot', id: LOT_ID }]), { timeout: 3000 });
  });

  it('hides asset and lot targets without fixed-assets and inventory, and checks the sizes before asking', async () => {
    designerApi();
    await renderBarcode('/barcode/labels');
    await vi.waitFor(() => expect(q('target-type-item')).not.toBeNull());
    expect(q('target-type-location')).not.toBeNull();
    expect(q('target-type-asset')).toBeNull();
    expect(q('target-type-lot')).toBeNull();

    await typeIn('label-width', '5');
    await typeIn('label-columns', '2.5');
    await vi.waitFor(() => expect(fieldError('label-width')).toBe('From 10 to 300'));
    expect(fieldError('label-columns')).toBe('Enter a whole number');
    await addItem();
    // Asking for the preview now sends nothing while the sizes are wrong.
    await click('label-preview-refresh');
    expect(labelPosts()).toHaveLength(0);
    expect(q('label-preview')).toBeNull();
    expect((q('label-zpl') as HTMLButtonElement).disabled).toBe(true);
  });
});
