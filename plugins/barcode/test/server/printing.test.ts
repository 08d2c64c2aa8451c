import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceIngestion } from '@quartermaster/sdk';
import { expectNoChange, expectProblem, type TestPlatform } from '@quartermaster/testing';
import { BC, bootBarcode, caller, item, location, otherDevice, printer } from './fixtures.js';
import { closedPort, hostStatusAnswer, startFakePrinter, type FakePrinter } from './fake-printer.js';

/*
 * Printing to network label printers over raw TCP, against real TCP servers started here
 * (fake-printer.ts). ZPL: Zebra ZPL II Programming Guide — ^XA/^XZ a label, ^PW/^LL width and
 * length in dots, ^PQ print quantity. Dots = mm × dpi / 25.4: 50 mm at 300 dpi = 590.55 → 591,
 * 30 mm at 300 dpi = 354.33 → 354; at 203 dpi 50 mm = 399.6 → 400 and 30 mm = 239.76 → 240.
 * Host status strings: ~HS (see test/domain/host-status.test.ts for the field layout).
 */
let t: TestPlatform;
let call: ReturnType<typeof caller>;
let bolts: string;
let nuts: string;
let dock: string;
const fakes: FakePrinter[] = [];
const fake = async (o: Parameters<typeof startFakePrinter>[0] = {}) => {
  const p = await startFakePrinter(o);
  fakes.push(p);
  return p;
};
const code128 = { widthMm: 50, heightMm: 30, symbology: 'code128', fields: ['name', 'code'] };

beforeAll(async () => {
  t = await bootBarcode();
  call = caller(t);
  bolts = await item(t, 'Bolts M8', { identifiers: [{ type: 'sku', value: 'BOLT-M8' }] });
  nuts = await item(t, 'Nuts M8', { identifiers: [{ type: 'sku', value: 'NUT-M8' }] });
  dock = await location(t, 'Dock 1', { code: 'DOCK-1' });
});
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await t?.close();
});

const jobsOf = (printerId: string) => t.sql<{ status: string; error: string | null; label_count: number; copies: number; bytes: number; template: any; targets: any }>(
  `SELECT status, error, label_count, copies, bytes, template, targets FROM barcode_print_job WHERE printer_id = $1 ORDER BY created_at`,
  [printerId],
);
const auditOf = (jobId: string) => t.sql<{ action: string; after: any }>(`SELECT action, after FROM core_audit WHERE entity_type = 'barcode.print-job' AND entity_id = $1`, [jobId]);

describe('printing labels', () => {
  it('sends the ZPL at the printer\'s dpi, with ^PQ copies of each label, and records the job, its audit record and event together', async () => {
    const zebra = await fake();
    const printerId = await printer(t, 'ZT-DOCK-1', { host: '127.0.0.1', port: zebra.port, dpi: 300 });
    // The template says 203 dpi: the printer's 300 dpi head wins.
    const template = { ...code128, dpi: 203 };
    const targets = [
      { type: 'item', id: bolts },
      { type: 'item', id: nuts },
    ];
    const events = t.events.length;
    const job = await call({ method: 'POST', url: `${BC}/labels/print`, payload: { printerId, template, targets, copies: 3 } }, 201);

    const [sent] = await zebra.waitForConnections(1);
    // Two labels, each asking the printer for three copies: 2 × 3 = 6 labels out of the printer.
    const labels = sent.split('^XZ').slice(0, -1);
    expect(labels).toHaveLength(2);
    for (const l of labels) {
      expect(l).toContain('^XA');
      expect(l).toContain('^PW591\n^LL354');
      expect(l.trimEnd().endsWith('^PQ3')).toBe(true);
    }
    expect(sent).toContain('^FD>:BOLT-M8^FS'); // the SKU, in Code 128 subset B
    // Exactly the labels POST /labels gives as ZPL at 300 dpi, with the quantity added.
    const zpl = await call({ method: 'POST', url: `${BC}/labels`, payload: { template: { ...code128, dpi: 300 }, targets, format: 'zpl' } }, 200);
    expect(sent).toBe((zpl as string).replaceAll('^XZ', '^PQ3\n^XZ'));

    expect(job).toMatchObject({
      printerId,
      printerCode: 'ZT-DOCK-1',
      printerName: 'Printer ZT-DOCK-1',
      status: 'sent',
      error: null,
      labelCount: 2,
      copies: 3,
      bytes: Buffer.byteLength(sent, 'utf8'),
      template: { symbology: 'code128', widthMm: 50, heightMm: 30, dpi: 300, fields: ['name', 'code'] },
      printedBy: 'admin@example.test',
    });
    expect(await jobsOf(printerId)).toEqual([expect.objectContaining({ status: 'sent', error: null, label_count: 2, copies: 3, targets })]);
    expect(await auditOf(job.id)).toEqual([{ action: 'printed', after: expect.objectContaining({ printerId, printerCode: 'ZT-DOCK-1', status: 'sent', labelCount: 2, copies: 3 }) }]);
    expect(t.events.slice(events).map((e) => [e.name, e.payload])).toEqual([
      ['barcode.labels.printed', { jobId: job.id, printerId, printerCode: 'ZT-DOCK-1', symbology: 'code128', labelCount: 2, copies: 3, targets }],
    ]);
  });

  it("uses the printer's default template when none is sent; one copy writes no ^PQ", async () => {
    const zebra = await fake();
    const printerId = await printer(t, 'ZD-OFFICE', { host: '127.0.0.1', port: zebra.port, template: { widthMm: 50, heightMm: 30, symbology: 'qr', fields: ['name'] } });
    const job = await call({ method: 'POST', url: `${BC}/labels/print`, payload: { printerId, targets: [{ type: 'location', id: dock }] } }, 201);
    const [sent] = await zebra.waitForConnections(1);
    expect(sent.match(/\^XA/g)).toHaveLength(1);
    // No dpi in the settings: 203, so 50 × 30 mm is 400 × 240 dots.
    expect(sent).toContain('^PW400\n^LL240');
    expect(sent).toContain('^BQN,2,4^FH\\^FDMA,DOCK-1^FS');
    expect(sent).not.toContain('^PQ');
    expect(job).toMatchObject({ status: 'sent', labelCount: 1, copies: 1, template: { symbology: 'qr', dpi: 203, fields: ['name'] } });
  });

  it('an unreachable printer: the job is recorded as failed with why and audited, no event, and the answer is 502 naming the printer', async () => {
    const port = await closedPort();
    const printerId = await printer(t, 'ZT-GONE', { host: '127.0.0.1', port });
    const events = t.events.length;
    const res = await t.request({ method: 'POST', url: `${BC}/labels/print`, payload: { printerId, template: code128, targets: [{ type: 'item', id: bolts }], copies: 2 } });
    const problem = expectProblem(res, 502, 'barcode/printer-unreachable');
    expect(problem).toMatchObject({ printerId, printerCode: 'ZT-GONE', host: '127.0.0.1', port, reason: 'refused', jobId: expect.any(String) });
    expect(problem.detail).toBe(
      `Printer ZT-GONE (Printer ZT-GONE) could not be sent the labels: connection refused by 127.0.0.1:${port} (nothing listens on that port). The print job is recorded as failed.`,
    );
    const [job] = await jobsOf(printerId);
    expect(job).toMatchObject({ status: 'failed', error: `refused: connection refused by 127.0.0.1:${port} (nothing listens on that port)`, label_count: 1, copies: 2 });
    expect(await auditOf(problem.jobId as string)).toEqual([{ action: 'print-failed', after: expect.objectContaining({ printerId, status: 'failed', error: job.error }) }]);
    // Nothing was printed, so nothing is announced.
    expect(t.events.slice(events).map((e) => e.name)).toEqual([]);

    const failed = await call({ method: 'GET', url: `${BC}/print-jobs?printerId=${printerId}&status=failed` }, 200);
    expect(failed).toMatchObject({ total: 1, data: [{ id: problem.jobId, status: 'failed', error: job.error }] });
    const printers = await call({ method: 'GET', url: `${BC}/printers` }, 200);
    expect(printers.find((p: { id: string }) => p.id === printerId)).toMatchObject({ status: 'active', settings: { host: '127.0.0.1', port, dpi: 203 }, lastJob: { id: problem.jobId, status: 'failed' } });
  });

  it('a printer off the network (its host name does not resolve) is unreachable too', async () => {
    // ".invalid" never resolves (RFC 6761); depending on the resolver the lookup fails or outlasts the connect timeout.
    const printerId = await printer(t, 'ZT-NOWHERE', { host: 'printer.invalid', port: 9100, connectTimeoutMs: 500 });
    const res = await t.request({ method: 'POST', url: `${BC}/labels/print`, payload: { printerId, template: code128, targets: [{ type: 'item', id: bolts }] } });
    const problem = expectProblem(res, 502, 'barcode/printer-unreachable');
    expect(['unknown-host', 'timeout']).toContain(problem.reason);
    expect(problem.detail).toContain('Printer ZT-NOWHERE');
    expect((await jobsOf(printerId))[0]).toMatchObject({ status: 'failed' });
  });

  it('refuses a disabled printer and a device that is not a printer, naming printerId, before connecting', async () => {
    const zebra = await fake();
    const off = await printer(t, 'ZT-OFF', { host: '127.0.0.1', port: zebra.port }, { disabled: true });
    const scanner = await otherDevice(t, 'SCN-1');
    const elsewhere = await printer(t, 'ZT-OTHER', { host: '127.0.0.1', port: zebra.port });
    // A printer another plugin's adapter serves (the column written directly: no such adapter is installed here).
    await t.sql(`UPDATE core_device SET adapter = 'acme-printer' WHERE id = $1`, [elsewhere]);
    const print = (printerId: string) => t.request({ method: 'POST', url: `${BC}/labels/print`, payload: { printerId, template: code128, targets: [{ type: 'item', id: bolts }] } });
    const disabled = expectProblem(await expectNoChange(t, () => print(off)), 422, 'barcode/printer-disabled');
    expect(disabled).toMatchObject({ field: 'printerId', printerId: off, printerCode: 'ZT-OFF' });
    expect(disabled.detail).toBe('printerId: the printer ZT-OFF (Printer ZT-OFF) is disabled; enable it in the device registry first');
    const notPrinter = expectProblem(await expectNoChange(t, () => print(scanner)), 422, 'barcode/not-a-printer');
    expect(notPrinter).toMatchObject({ field: 'printerId', printerId: scanner, kind: 'scanner' });
    expect(notPrinter.detail).toBe('printerId: device SCN-1 (Device SCN-1) is a scanner, not a printer');
    expect(expectProblem(await expectNoChange(t, () => print(elsewhere)), 422, 'barcode/not-a-printer')).toMatchObject({ field: 'printerId', adapter: 'acme-printer' });
    expect(zebra.received).toEqual([]);
  });
});

describe('printers and their status', () => {
  it('asks ~HS and reads the answer: paper out while paused, with labels left in the batch', async () => {
    // String 1: b = 1 paper out, c = 1 paused; string 2: uuuuuuuu = 00000012 labels remaining.
    const zebra = await fake({ hostStatus: hostStatusAnswer('030,1,1,0240,001,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000012,1,000', '1234,0') });
    const printerId = await printer(t, 'ZT-PAPER', { host: '127.0.0.1', port: zebra.port });
    const status = await call({ method: 'GET', url: `${BC}/printers/${printerId}/status` }, 200);
    expect(status).toMatchObject({
      printerId,
      checkedAt: expect.any(String),
      ready: false,
      state: 'paper-out',
      conditions: ['paper-out', 'paused'],
      paperOut: true,
      paused: true,
      headOpen: false,
      labelsRemaining: 12,
      formatsInBuffer: 1,
      labelLengthDots: 240,
      printMode: 'tear-off',
    });
    expect(JSON.stringify(status)).not.toContain('1234'); // the printer's password
    expect(await zebra.waitForConnections(1)).toEqual(['~HS']);
  });

  it('a ready printer', async () => {
    const zebra = await fake({ hostStatus: hostStatusAnswer('030,0,0,0240,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,4,0,00000000,1,000', '1234,0') });
    const printerId = await printer(t, 'ZT-READY', { host: '127.0.0.1', port: zebra.port });
    expect(await call({ method: 'GET', url: `${BC}/printers/${printerId}/status` }, 200)).toMatchObject({ ready: true, state: 'ready', conditions: [] });
  });

  it('no answer within the timeout, a refused connection, an unreadable answer: 502', async () => {
    const silent = await fake();
    const quiet = await printer(t, 'ZT-QUIET', { host: '127.0.0.1', port: silent.port, timeoutMs: 300 });
    const noAnswer = expectProblem(await t.request({ method: 'GET', url: `${BC}/printers/${quiet}/status` }), 502, 'barcode/printer-unreachable');
    expect(noAnswer).toMatchObject({ printerId: quiet, printerCode: 'ZT-QUIET', reason: 'no-answer' });
    expect(noAnswer.detail).toContain(`accepted the connection but sent no answer within 300 ms`);
    expect(noAnswer.detail).toContain('head is open');
    expect(noAnswer.jobId).toBeUndefined();

    const gone = await printer(t, 'ZT-GONE-2', { host: '127.0.0.1', port: await closedPort() });
    expect(expectProblem(await t.request({ method: 'GET', url: `${BC}/printers/${gone}/status` }), 502, 'barcode/printer-unreachable')).toMatchObject({ reason: 'refused' });

    const babbling = await fake({ hostStatus: '\u0002PRINTER READY\u0003\r\n\u0002?\u0003\r\n\u0002?\u0003\r\n' });
    const odd = await printer(t, 'ZT-ODD', { host: '127.0.0.1', port: babbling.port });
    expect(expectProblem(await t.request({ method: 'GET', url: `${BC}/printers/${odd}/status` }), 502, 'barcode/printer-answer-unreadable')).toMatchObject({ printerId: odd, field: 'string1' });
  });

  it('lists the zebra-zpl printers with their settings (defaults applied) and latest job; not other devices', async () => {
    const zebra = await fake();
    const printerId = await printer(t, 'AA-LIST', { host: '127.0.0.1', port: zebra.port, dpi: 600, timeoutMs: 2000 });
    await otherDevice(t, 'SENSOR-1', 'sensor');
    let list = await call({ method: 'GET', url: `${BC}/printers` }, 200);
    expect(list.map((p: { code: string }) => p.code)).not.toContain('SENSOR-1');
    expect(list.map((p: { code: string }) => p.code)).not.toContain('SCN-1');
    expect(list.find((p: { id: string }) => p.id === printerId)).toEqual({
      id: printerId,
      code: 'AA-LIST',
      name: 'Printer AA-LIST',
      model: 'Zebra ZT411',
      locationId: null,
      status: 'active',
      settings: { host: '127.0.0.1', port: zebra.port, dpi: 600, template: null, connectTimeoutMs: 3000, timeoutMs: 2000 },
      lastJob: null,
    });
    const first = await call({ method: 'POST', url: `${BC}/labels/print`, payload: { printerId, template: code128, targets: [{ type: 'item', id: bolts }] } }, 201);
    const second = await call({ method: 'POST', url: `${BC}/labels/print`, payload: { printerId, template: code128, targets: [{ type: 'item', id: nuts }], copies: 2 } }, 201);
    list = await call({ method: 'GET', url: `${BC}/printers` }, 200);
    expect(list.find((p: { id: string }) => p.id === printerId).lastJob).toMatchObject({ id: second.id, copies: 2 });

    const page = await call({ method: 'GET', url: `${BC}/print-jobs?printerId=${printerId}&limit=1` }, 200);
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 0, data: [{ id: second.id }] });
    const next = await call({ method: 'GET', url: `${BC}/print-jobs?printerId=${printerId}&limit=1&offset=1` }, 200);
    expect(next.data.map((j: { id: string }) => j.id)).toEqual([first.id]);
    const all = await call({ method: 'GET', url: `${BC}/print-jobs` }, 200);
    expect(all.total).toBeGreaterThanOrEqual(2);
  });
});

describe('the zebra-zpl device adapter', () => {
  it('is offered for printers only, with no inbound transport, and checks the settings', async () => {
    const adapters = await call({ method: 'GET', url: '/api/core/device-adapters' }, 200);
    expect(adapters.find((a: { id: string }) => a.id === 'zebra-zpl')).toMatchObject({ kinds: ['printer'], transports: [], settingsSchema: expect.objectContaining({ required: ['host'] }) });
    const res = await expectNoChange(t, () =>
      t.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'ZT-BAD', name: 'Bad', kind: 'printer', adapter: 'zebra-zpl', settings: { host: '10.0.0.9', port: 0, dpi: 250 } } }),
    );
    const problem = expectProblem(res, 400, 'validation');
    expect(problem.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['settings.port', 'settings.dpi']));
    // Not for scanners.
    expectProblem(await expectNoChange(t, () => t.request({ method: 'POST', url: '/api/core/devices', payload: { code: 'SCN-Z', name: 'Scanner', kind: 'scanner', adapter: 'zebra-zpl', settings: { host: 'x' } } })), 400, 'validation');
  });

  it('a payload sent with a printer\'s key is refused clearly, and nothing is queued', async () => {
    const { device, key } = await call(
      { method: 'POST', url: '/api/core/devices', payload: { code: 'ZT-KEY', name: 'Keyed printer', kind: 'printer', adapter: 'zebra-zpl', settings: { host: '127.0.0.1' } } },
      201,
    );
    const res = await t.app.inject({ method: 'POST', url: '/api/core/devices/ingest', headers: { authorization: `Device ${key}` }, payload: { data: 'hello' } });
    expect(expectProblem(res, 422, 'device-payload-invalid').detail).toContain('does not take readings over HTTP');
    await t.platform.context('core').services.get(deviceIngestion).idle();
    expect(await t.sql(`SELECT 1 FROM core_device_reading WHERE device_id = $1`, [device.id])).toEqual([]);
    const detail = await call({ method: 'GET', url: `/api/core/devices/${device.id}` }, 200);
    expect(detail.health).toEqual({ state: 'never-seen', detail: 'a printer sends nothing; its status is asked on demand (~HS)' });
  });
});
