import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeItem } from '../../../../apps/admin/test/fixtures';
import { ITEM_ID, all, choose, click, fieldError, paged, pickLabel, problem, q, renderBarcode, requests, server, settle, text, typeIn } from './harness';

const PRINTER_ID = '0196c000-0000-7000-8000-0000000d0001';
const OLD_PRINTER_ID = '0196c000-0000-7000-8000-0000000d0002';
const ASSET_ID = '0196c000-0000-7000-8000-0000000b0001';
const NOW = '2026-05-04T10:00:00.000Z';

const makePrinter = (patch: Record<string, unknown> = {}) => ({
  id: PRINTER_ID,
  code: 'ZT-DOCK-1',
  name: 'Zebra dock',
  model: 'Zebra ZT411',
  locationId: null,
  status: 'active',
  settings: { host: '10.0.4.21', port: 9100, dpi: 300, template: null, connectTimeoutMs: 3000, timeoutMs: 10000 },
  lastJob: null,
  ...patch,
});
const OLD_PRINTER = makePrinter({ id: OLD_PRINTER_ID, code: 'ZD-OLD', name: 'Old office', status: 'disabled' });

/** A `~HS` status as the server answers it (every condition off unless `patch` says so). */
const printerStatus = (patch: Record<string, unknown> = {}) => ({
  printerId: PRINTER_ID,
  checkedAt: NOW,
  ready: true,
  state: 'ready',
  conditions: [],
  paperOut: false,
  paused: false,
  headOpen: false,
  ribbonOut: false,
  overTemperature: false,
  underTemperature: false,
  bufferFull: false,
  configurationLost: false,
  partialFormat: false,
  diagnosticMode: false,
  labelWaiting: false,
  thermalTransfer: true,
  printMode: 'tear-off',
  printModeCode: '2',
  labelLengthDots: 354,
  formatsInBuffer: 0,
  labelsRemaining: 0,
  graphicsStored: 0,
  communicationSettings: 30,
  functionSettings: 1,
  staticRamInstalled: false,
  ...patch,
});

interface PrintBody {
  printerId: string;
  template: Record<string, unknown>;
  targets: { type: string; id: string }[];
  copies: number;
}
const jobFor = (b: PrintBody) => ({
  id: '0196c000-0000-7000-8000-0000000e9001',
  printerId: b.printerId,
  printerCode: 'ZT-DOCK-1',
  printerName: 'Zebra dock',
  status: 'sent',
  error: null,
  template: { symbology: b.template.symbology, widthMm: b.template.widthMm, heightMm: b.template.heightMm, dpi: 300, fields: b.template.fields ?? ['name', 'code'] },
  labelCount: b.targets.length,
  copies: b.copies,
  bytes: 512,
  printedBy: 'admin@example.test',
  createdAt: NOW,
});
const UNREACHABLE = 'Printer ZT-DOCK-1 (Zebra dock) could not be sent the labels: connection refused by 10.0.4.21:9100 (nothing listens on that port). The print job is recorded as failed.';

const printPosts = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/barcode/labels/print').map((r) => r.body as PrintBody);
const labelBodies = () => requests.filter((r) => r.method === 'POST' && r.url.pathname === '/api/barcode/labels').map((r) => r.body as { template: Record<string, unknown>; targets: unknown[]; format: string });

/** The printers, their status and printing, answering as told. */
function printerApi(o: { printers?: unknown[]; status?: () => Response; print?: (b: PrintBody) => Response } = {}) {
  const answers = {
    status: o.status ?? (() => HttpResponse.json(printerStatus())),
    print: o.print ?? ((b: PrintBody) => HttpResponse.json(jobFor(b), { status: 201 })),
  };
  server.use(
    http.get('*/api/barcode/printers', () => HttpResponse.json(o.printers ?? [makePrinter(), OLD_PRINTER])),
    http.get('*/api/barcode/printers/:id/status', () => answers.status()),
    http.post('*/api/barcode/labels/print', async ({ request }) => answers.print((await request.json()) as PrintBody)),
  );
  return answers;
}

const ITEM = { id: ITEM_ID, name: 'Saline 0.9 % 500 ml', unitOfMeasure: 'ea', identifiers: [] };
function designerApi() {
  server.use(
    http.get('*/api/core/items', ({ request }) => paged([ITEM], request.url)),
    http.get(`*/api/core/items/${ITEM_ID}`, () => HttpResponse.json(ITEM)),
    http.post('*/api/barcode/labels', async ({ request }) => {
      const body = (await request.json()) as { targets: unknown[] };
      return new HttpResponse(`<!doctype html><p>${body.targets.length} labels</p>`, { headers: { 'content-type': 'text/html' } });
    }),
  );
}

const badge = () => q('printer-status');

beforeEach(() => localStorage.clear());

describe('label designer: send to printer', () => {
  it('sends the designed labels with copies to the chosen printer, shows its status and the result; an unreachable printer shows the problem', async () => {
    designerApi();
    const answers = printerApi();
    await renderBarcode('/barcode/labels');
    await vi.waitFor(() => expect(q('target-add')).not.toBeNull());
    await pickLabel('target-type-item');
    await choose('target-item', { testid: 'item-option' });
    await typeIn('target-copies', '2');
    await click('target-add');

    // The active printer is chosen; the disabled one is offered but cannot be picked.
    await vi.waitFor(() => expect(badge()?.dataset.state).toBe('ready'));
    expect(text('printer-status')).toBe('Ready');
    expect(text('print-printer')).toContain('Zebra dock');
    q('print-printer')!.querySelector<HTMLElement>('.el-select__wrapper')!.click();
    await settle();
    const options = all('print-printer-option');
    expect(options.map((o) => o.textContent?.trim())).toEqual(['Zebra dock', 'Old office (disabled)']);
    expect(options[1]!.classList.contains('is-disabled')).toBe(true);

    await typeIn('print-copies', '0');
    await vi.waitFor(() => expect(fieldError('print-copies')).toBe('From 1 to 1000'));
    expect((q('print-send') as HTMLButtonElement).disabled).toBe(true);
    await typeIn('print-copies', '3');
    await click('print-send');
    await vi.waitFor(() => expect(q('print-result')).not.toBeNull());
    expect(text('print-result')).toBe('Sent to Zebra dock: 2 labels × 3 copies.');
    // The designer's labels (one per row copy) and template; the server lays them out for the printer's dpi.
    expect(printPosts()).toEqual([
      {
        printerId: PRINTER_ID,
        template: { widthMm: 50, heightMm: 30, columns: 1, rows: 1, marginMm: 0, gapMm: 0, symbology: 'qr', fields: ['name', 'code'], dpi: 203 },
        targets: [
          { type: 'item', id: ITEM_ID },
          { type: 'item', id: ITEM_ID },
        ],
        copies: 3,
      },
    ]);
    expect(localStorage.getItem('qm.barcode.printer')).toBe(PRINTER_ID);

    // The printer goes away: the problem's detail, and the badge says so once asked again.
    answers.print = () => problem(502, 'barcode/printer-unreachable', 'Printer unreachable', UNREACHABLE, { printerId: PRINTER_ID, reason: 'refused', jobId: 'j' });
    answers.status = () => problem(502, 'barcode/printer-unreachable', 'Printer unreachable', 'connection refused by 10.0.4.21:9100');
    await click('print-send');
    await vi.waitFor(() => expect(text('print-error')).toBe(UNREACHABLE));
    expect(q('print-result')).toBeNull();
    await vi.waitFor(() => expect(badge()?.dataset.state).toBe('unreachable'));
    expect(text('printer-status')).toBe('Unreachable');
    expect(badge()!.getAttribute('title')).toBe('connection refused by 10.0.4.21:9100');
  });

  it('shows paper out, paused and head open from the printer status, and checks again on request', async () => {
    designerApi();
    const answers = printerApi({ status: () => HttpResponse.json(printerStatus({ ready: false, state: 'paper-out', conditions: ['paper-out', 'paused'], paperOut: true, paused: true, labelsRemaining: 12 })) });
    await renderBarcode('/barcode/labels');
    await vi.waitFor(() => expect(badge()?.dataset.state).toBe('paper-out'));
    expect(text('printer-status')).toBe('Paper out');
    expect(badge()!.getAttribute('title')).toBe('also paused; 12 label(s) left in the batch');

    answers.status = () => HttpResponse.json(printerStatus({ ready: false, state: 'paused', conditions: ['paused'], paused: true }));
    await click('printer-status-refresh');
    await vi.waitFor(() => expect(text('printer-status')).toBe('Paused'));
    answers.status = () => HttpResponse.json(printerStatus({ ready: false, state: 'head-open', conditions: ['head-open'], headOpen: true }));
    await click('printer-status-refresh');
    await vi.waitFor(() => expect(text('printer-status')).toBe('Head open'));
    // Nothing to print yet: nothing is sent.
    expect((q('print-send') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says how to add a printer when there is none', async () => {
    designerApi();
    printerApi({ printers: [] });
    await renderBarcode('/barcode/labels');
    await vi.waitFor(() => expect(q('print-no-printers')).not.toBeNull());
    expect(text('print-no-printers')).toContain('Register one under Devices');
  });

  it('is not offered without barcode.print', async () => {
    designerApi();
    printerApi();
    await renderBarcode('/barcode/labels', { permissions: ['barcode.read', 'core.items.read'] });
    await vi.waitFor(() => expect(q('target-add')).not.toBeNull());
    await settle();
    expect(q('label-send')).toBeNull();
    expect(requests.some((r) => r.url.pathname === '/api/barcode/printers')).toBe(false);
  });
});

describe('the Label widget on detail pages', () => {
  const ITEM_PAGE = makeItem(7, { name: 'Hex bolt M8' });
  const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 50 30"><text>Hex bolt M8</text></svg>';

  function labelsAnswer(answer: (b: { format: string }) => Response = () => new HttpResponse(SVG, { headers: { 'content-type': 'image/svg+xml' } })) {
    server.use(http.post('*/api/barcode/labels', async ({ request }) => answer((await request.json()) as { format: string })));
  }

  it("on an item's page: previews the item's label, downloads it, and sends it with the printer's template at its dpi", async () => {
    server.use(http.get(`*/api/core/items/${ITEM_PAGE.id}`, () => HttpResponse.json(ITEM_PAGE)));
    labelsAnswer((b) => (b.format === 'zpl' ? new HttpResponse('^XA^XZ', { headers: { 'content-type': 'text/plain' } }) : new HttpResponse(SVG, { headers: { 'content-type': 'image/svg+xml' } })));
    const template = { widthMm: 100, heightMm: 50, symbology: 'code128', fields: ['name'] };
    printerApi({ printers: [makePrinter({ settings: { ...makePrinter().settings, template } })] });
    const clicked: string[] = [];
    const anchorClick = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:label');
    try {
      await renderBarcode(`/items/${ITEM_PAGE.id}`);
      await vi.waitFor(() => expect(q('print-widget')).not.toBeNull());
      expect(q('print-widget')!.dataset.targetType).toBe('item');
      expect(q('print-widget')!.closest('[data-zone]')!.getAttribute('data-zone')).toBe('core.item.detail.side');
      // First the default label, then — once the printer is known — its template at its dpi.
      await vi.waitFor(() => expect(labelBodies().at(-1)?.template).toEqual({ ...template, dpi: 300 }));
      expect(labelBodies()[0]).toEqual({ template: { widthMm: 50, heightMm: 30, symbology: 'qr', fields: ['name', 'code'] }, targets: [{ type: 'item', id: ITEM_PAGE.id }], format: 'svg' });
      await vi.waitFor(() => expect(q('print-widget-preview')).not.toBeNull());
      expect(decodeURIComponent(q('print-widget-preview')!.getAttribute('src')!)).toBe(`data:image/svg+xml;charset=utf-8,${SVG}`);
      expect(text('print-widget')).toContain("100 × 50 mm, Code 128 (Zebra dock's template)");

      await click('print-widget-zpl');
      await vi.waitFor(() => expect(clicked).toEqual(['label-item.zpl']));
      expect(labelBodies().at(-1)).toEqual({ template: { ...template, dpi: 300 }, targets: [{ type: 'item', id: ITEM_PAGE.id }], format: 'zpl' });

      await vi.waitFor(() => expect(badge()?.dataset.state).toBe('ready'));
      await click('print-send');
      await vi.waitFor(() => expect(text('print-result')).toBe('Sent to Zebra dock: 1 label.'));
      expect(printPosts()).toEqual([{ printerId: PRINTER_ID, template: { ...template, dpi: 300 }, targets: [{ type: 'item', id: ITEM_PAGE.id }], copies: 1 }]);
    } finally {
      anchorClick.mockRestore();
      createObjectURL.mockRestore();
    }
  });

  it('shows why a record cannot be labelled, and then offers no printing', async () => {
    server.use(http.get(`*/api/core/items/${ITEM_PAGE.id}`, () => HttpResponse.json(ITEM_PAGE)));
    const why = `targets[0]: item ${ITEM_PAGE.id} (Hex bolt M8) has neither a SKU nor a GTIN`;
    labelsAnswer(() => problem(422, 'barcode/no-code', 'Nothing to encode', why, { field: 'targets[0]' }));
    printerApi();
    await renderBarcode(`/items/${ITEM_PAGE.id}`);
    await vi.waitFor(() => expect(text('print-widget-error')).toBe(why));
    expect(q('print-widget-preview')).toBeNull();
    expect((q('print-widget-svg') as HTMLButtonElement).disabled).toBe(true);
    await vi.waitFor(() => expect(q('print-send')).not.toBeNull());
    expect((q('print-send') as HTMLButtonElement).disabled).toBe(true);
  });

  it('with barcode.read only: the preview and downloads, no printing', async () => {
    server.use(http.get(`*/api/core/items/${ITEM_PAGE.id}`, () => HttpResponse.json(ITEM_PAGE)));
    labelsAnswer();
    printerApi();
    await renderBarcode(`/items/${ITEM_PAGE.id}`, { permissions: ['barcode.read', 'core.items.read'] });
    await vi.waitFor(() => expect(q('print-widget-preview')).not.toBeNull());
    await settle();
    expect(q('print-panel')).toBeNull();
    expect(requests.some((r) => r.url.pathname.startsWith('/api/barcode/printers'))).toBe(false);
  });

  it("on an asset's page (the zone fixed-assets declares): the asset's label", async () => {
    server.use(
      http.get(`*/api/fixed-assets/assets/${ASSET_ID}`, () =>
        HttpResponse.json({
          id: ASSET_ID,
          tag: 'AST-2026-00001',
          name: 'Compressor 1',
          serialNumber: null,
          status: 'in-service',
          condition: 'good',
          itemId: null,
          item: null,
          categoryId: null,
          category: null,
          locationId: null,
          location: null,
          custodian: null,
          department: null,
          costCentre: null,
          supplier: null,
          purchaseDate: null,
          invoiceNumber: null,
          acquisitionCost: '1200.00',
          currency: 'EUR',
          warrantyEnd: null,
          notes: null,
          customFields: {},
          parentId: null,
          parent: null,
          childCount: 0,
          custody: null,
          disposal: null,
          children: [],
          version: 1,
          createdAt: NOW,
          updatedAt: NOW,
        }),
      ),
      http.get(`*/api/fixed-assets/assets/${ASSET_ID}/custody`, ({ request }) => paged([], request.url)),
    );
    labelsAnswer();
    printerApi();
    await renderBarcode(`/fixed-assets/assets/${ASSET_ID}`, { alsoEnabled: ['fixed-assets'], fixedAssetsConsole: true });
    await vi.waitFor(() => expect(q('print-widget')).not.toBeNull());
    expect(q('print-widget')!.dataset.targetType).toBe('asset');
    expect(q('print-widget')!.closest('[data-zone]')!.getAttribute('data-zone')).toBe('fixed-assets.asset.detail.side');
    await vi.waitFor(() => expect(labelBodies()[0]?.targets).toEqual([{ type: 'asset', id: ASSET_ID }]));
    await vi.waitFor(() => expect(q('print-widget-preview')).not.toBeNull());
  });
});
