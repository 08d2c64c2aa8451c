/**
 * Network printing: which devices are printers this plugin can print to (kind `printer`, adapter
 * `zebra-zpl`, from the core's device registry, read only), sending a job's ZPL to one, recording
 * the job, and asking a printer its status (`~HS`).
 *
 * A job is sent first and recorded after, so no transaction stays open while a printer is slow;
 * the job row, its audit record and (when sent) the `barcode.labels.printed` event then commit
 * together. A printer that cannot be reached still gets its job row and audit record, marked
 * failed with why, and the caller a 502 naming the printer.
 */
import { ProblemError, problems, type Actor, type PluginContext, type Static } from '@quartermaster/sdk';
import { isoInstant, readerOf, type Db } from '@quartermaster/core';
import { HOST_STATUS_QUERY, HostStatusError, hostStatusComplete, parseHostStatus } from '../../domain/index.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_PRINTER_DPI,
  DEFAULT_PRINTER_PORT,
  DEFAULT_PRINTER_TIMEOUT_MS,
  LabelsPrinted,
  PRINTER_ADAPTER_ID,
  type EffectivePrinterSettingsSchema,
  type LabelTemplate,
  type PrintBody,
  type PrintJob,
  type PrintJobsQuery,
  type Printer,
  type PrinterStatus,
} from '../../shared/index.js';
import { asProblem, utcToday } from './gs1-reading.js';
import { readSettings } from './keys.service.js';
import { collectLabels, zplLabels } from './labels.service.js';
import { PrinterIoError, askPrinter, sendToPrinter, type PrinterEndpoint } from './printer-io.js';

type EffectiveSettings = Static<typeof EffectivePrinterSettingsSchema>;

interface DeviceRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  adapter: string;
  model: string | null;
  location_id: string | null;
  status: 'active' | 'disabled';
  settings: Record<string, unknown> | null;
}

export interface PrinterDevice {
  id: string;
  code: string;
  name: string;
  model: string | null;
  locationId: string | null;
  status: 'active' | 'disabled';
  settings: EffectiveSettings;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEVICE_COLUMNS = `id, code, name, kind, adapter, model, location_id, status, settings`;

/** The device's settings with the defaults applied (they were checked against the adapter's schema when saved). */
export function effectiveSettings(raw: Record<string, unknown> | null): EffectiveSettings {
  const s = (raw ?? {}) as Partial<EffectiveSettings> & { template?: LabelTemplate };
  return {
    host: typeof s.host === 'string' ? s.host : '',
    port: s.port ?? DEFAULT_PRINTER_PORT,
    dpi: s.dpi ?? DEFAULT_PRINTER_DPI,
    template: s.template ?? null,
    connectTimeoutMs: s.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    timeoutMs: s.timeoutMs ?? DEFAULT_PRINTER_TIMEOUT_MS,
  };
}

const printerOf = (r: DeviceRow): PrinterDevice => ({
  id: r.id,
  code: r.code,
  name: r.name,
  model: r.model,
  locationId: r.location_id,
  status: r.status,
  settings: effectiveSettings(r.settings),
});

function endpointOf(p: PrinterDevice): PrinterEndpoint {
  // The registry requires a host; without one, connecting would quietly mean this server itself.
  if (!p.settings.host) throw new PrinterIoError('unknown-host', 'the printer has no host in its settings');
  return { host: p.settings.host, port: p.settings.port, connectTimeoutMs: p.settings.connectTimeoutMs, timeoutMs: p.settings.timeoutMs };
}
const isPrinter = (r: DeviceRow) => r.kind === 'printer' && r.adapter === PRINTER_ADAPTER_ID;

async function loadDevice(db: Db, id: string): Promise<DeviceRow | null> {
  if (!UUID_RE.test(id)) return null;
  const [r] = await db.execute<DeviceRow>(`SELECT ${DEVICE_COLUMNS} FROM core_device WHERE id = $1`, [id]);
  return r ?? null;
}

// ── Problems ───────────────────────────────────────────────────────────────────────────────────

const PRINTER_FIELD = 'printerId';

function refused(type: string, title: string, detail: string, printerId: string, extra: Record<string, unknown> = {}): ProblemError {
  return new ProblemError({ type, status: 422, title, detail: `${PRINTER_FIELD}: ${detail}`, extensions: { field: PRINTER_FIELD, printerId, ...extra } });
}

function disabled(p: { id: string; code: string; name: string }): ProblemError {
  return refused('barcode/printer-disabled', 'Printer disabled', `the printer ${p.code} (${p.name}) is disabled; enable it in the device registry first`, p.id, { printerCode: p.code });
}

const KIND_WORDS: Record<string, string> = { scanner: 'a scanner', 'rfid-reader': 'an RFID reader', 'gps-tracker': 'a GPS tracker', sensor: 'a sensor', printer: 'a printer' };

/** The printer a job goes to: a known, enabled `zebra-zpl` printer, else 422 naming `printerId`. */
export async function printerToPrint(db: Db, id: string): Promise<PrinterDevice> {
  const row = await loadDevice(db, id);
  if (!row) throw refused('barcode/unknown-printer', 'Unknown printer', `there is no device ${id}`, id);
  if (row.kind !== 'printer') {
    throw refused('barcode/not-a-printer', 'Not a printer', `device ${row.code} (${row.name}) is ${KIND_WORDS[row.kind] ?? row.kind}, not a printer`, id, { printerCode: row.code, kind: row.kind });
  }
  if (row.adapter !== PRINTER_ADAPTER_ID) {
    throw refused(
      'barcode/not-a-printer',
      'Not a network label printer',
      `printer ${row.code} (${row.name}) uses the ${row.adapter} adapter; labels go to printers of the ${PRINTER_ADAPTER_ID} adapter (host and port in its settings)`,
      id,
      { printerCode: row.code, kind: row.kind, adapter: row.adapter },
    );
  }
  if (row.status !== 'active') throw disabled(row);
  return printerOf(row);
}

/** The printer addressed by a path: 404 unless it is a `zebra-zpl` printer; 422 when disabled. */
async function printerToAsk(db: Db, id: string): Promise<PrinterDevice> {
  const row = await loadDevice(db, id);
  if (!row || !isPrinter(row)) throw problems.notFound('printer', id);
  if (row.status !== 'active') throw disabled(row);
  return printerOf(row);
}

/** `502 barcode/printer-unreachable`: which printer, where, and why. */
function unreachable(p: PrinterDevice, e: PrinterIoError, jobId?: string): ProblemError {
  const hint =
    e.reason === 'no-answer'
      ? '. A Zebra printer does not answer a status query while its media or ribbon is out, its head is open or too hot, or its rewinder is full'
      : '';
  return new ProblemError({
    type: 'barcode/printer-unreachable',
    status: 502,
    title: 'Printer unreachable',
    detail: `Printer ${p.code} (${p.name}) could not be ${jobId ? 'sent the labels' : 'asked its status'}: ${e.message}${hint}${jobId ? '. The print job is recorded as failed.' : ''}`,
    extensions: { printerId: p.id, printerCode: p.code, host: p.settings.host, port: p.settings.port, reason: e.reason, ...(jobId ? { jobId } : {}) },
  });
}

// ── Jobs ───────────────────────────────────────────────────────────────────────────────────────

interface JobRow {
  id: string;
  printer_id: string;
  printer_code: string;
  printer_name: string;
  status: PrintJob['status'];
  error: string | null;
  template: PrintJob['template'];
  label_count: number;
  copies: number;
  bytes: number;
  printed_by_label: string;
  created_at: Date | string;
}

const JOB_SQL = `SELECT j.id, j.printer_id, d.code AS printer_code, d.name AS printer_name, j.status, j.error, j.template, j.label_count, j.copies, j.bytes,
                        j.printed_by_label, j.created_at
                   FROM barcode_print_job j JOIN core_device d ON d.id = j.printer_id`;

const jobOf = (r: JobRow): PrintJob => ({
  id: r.id,
  printerId: r.printer_id,
  printerCode: r.printer_code,
  printerName: r.printer_name,
  status: r.status,
  error: r.error,
  template: r.template,
  labelCount: r.label_count,
  copies: r.copies,
  bytes: r.bytes,
  printedBy: r.printed_by_label,
  createdAt: isoInstant(r.created_at)!,
});

export async function listPrintJobs(db: Db, q: Static<typeof PrintJobsQuery>): Promise<{ data: PrintJob[]; total: number; limit: number; offset: number }> {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const where: string[] = ['true'];
  const params: unknown[] = [];
  if (q.printerId) where.push(`j.printer_id = $${params.push(q.printerId)}`);
  if (q.status) where.push(`j.status = $${params.push(q.status)}`);
  const rows = await db.execute<JobRow>(`${JOB_SQL} WHERE ${where.join(' AND ')} ORDER BY j.created_at DESC, j.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
    ...params,
    limit,
    offset,
  ]);
  const [{ n }] = await db.execute<{ n: number }>(`SELECT count(*)::int AS n FROM barcode_print_job j WHERE ${where.join(' AND ')}`, params);
  return { data: rows.map(jobOf), total: n, limit, offset };
}

/** Every `zebra-zpl` printer (disabled ones too, marked), by name, each with its latest job. */
export async function listPrinters(db: Db): Promise<Printer[]> {
  const rows = await db.execute<DeviceRow>(`SELECT ${DEVICE_COLUMNS} FROM core_device WHERE kind = 'printer' AND adapter = $1 ORDER BY lower(name), code`, [PRINTER_ADAPTER_ID]);
  if (!rows.length) return [];
  const lastJobs = await lastJobsOf(db, rows.map((r) => r.id));
  const byPrinter = new Map(lastJobs.map((j) => [j.printer_id, jobOf(j)]));
  return rows.map((r) => ({ ...printerOf(r), lastJob: byPrinter.get(r.id) ?? null }));
}

async function lastJobsOf(db: Db, printerIds: string[]): Promise<JobRow[]> {
  return db.execute<JobRow>(`SELECT DISTINCT ON (j.printer_id) * FROM (${JOB_SQL}) j WHERE j.printer_id = ANY($1::uuid[]) ORDER BY j.printer_id, j.created_at DESC, j.id DESC`, [printerIds]);
}

/**
 * Print: check the printer, build the labels' ZPL at the printer's dpi with `copies` of each (^PQ),
 * send it, then record the job — sent, or failed with why (and answer 502).
 */
export async function printLabels(ctx: PluginContext<any>, actor: Actor, b: Static<typeof PrintBody>): Promise<PrintJob> {
  const db = readerOf(ctx);
  const printer = await printerToPrint(db, b.printerId);
  const base = b.template ?? printer.settings.template;
  if (!base) throw problems.validation([{ field: 'template', message: `the printer ${printer.code} has no default template: send one` }]);
  // The layout is in mm; the printer's head decides how many dots that is.
  const template: LabelTemplate = { ...base, dpi: printer.settings.dpi };
  const copies = b.copies ?? 1;
  const { companyPrefix } = await readSettings(db);
  const labels = await collectLabels(ctx, b.targets, template.symbology, companyPrefix, utcToday());
  const program = asProblem(() => zplLabels(labels, template, copies), 'template');

  let failure: PrinterIoError | null = null;
  try {
    await sendToPrinter(endpointOf(printer), program);
  } catch (error) {
    if (!(error instanceof PrinterIoError)) throw error;
    failure = error;
  }

  const summary: PrintJob['template'] = {
    symbology: template.symbology,
    widthMm: template.widthMm,
    heightMm: template.heightMm,
    dpi: printer.settings.dpi,
    fields: template.fields ?? ['name', 'code'],
  };
  const job = await ctx.transaction(actor, async (tx) => {
    const [row] = await tx.execute<{ id: string }>(
      `INSERT INTO barcode_print_job (printer_id, printed_by, printed_by_label, template, targets, label_count, copies, bytes, status, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        printer.id,
        actor.userId,
        actor.label,
        JSON.stringify(summary),
        JSON.stringify(b.targets),
        b.targets.length,
        copies,
        Buffer.byteLength(program, 'utf8'),
        failure ? 'failed' : 'sent',
        failure ? `${failure.reason}: ${failure.message}`.slice(0, 1000) : null,
      ],
    );
    const [saved] = await tx.execute<JobRow>(`${JOB_SQL} WHERE j.id = $1`, [row.id]);
    const after = { printerId: printer.id, printerCode: printer.code, status: saved.status, error: saved.error, labelCount: saved.label_count, copies, template: summary };
    await tx.audit({ action: failure ? 'print-failed' : 'printed', entityType: 'barcode.print-job', entityId: row.id, after });
    // Only labels the printer took are announced: subscribers act on labels that exist.
    if (!failure) await tx.emit(LabelsPrinted, { jobId: row.id, printerId: printer.id, printerCode: printer.code, symbology: template.symbology, labelCount: b.targets.length, copies, targets: b.targets });
    return jobOf(saved);
  });
  if (failure) throw unreachable(printer, failure, job.id);
  return job;
}

// ── Status ─────────────────────────────────────────────────────────────────────────────────────

/** Ask the printer `~HS` and read its answer; 502 when it cannot be reached, answers nothing or nonsense. */
export async function printerStatus(db: Db, id: string): Promise<PrinterStatus> {
  const printer = await printerToAsk(db, id);
  let answer: string;
  try {
    answer = await askPrinter(endpointOf(printer), HOST_STATUS_QUERY, hostStatusComplete);
  } catch (error) {
    if (error instanceof PrinterIoError) throw unreachable(printer, error);
    throw error;
  }
  try {
    return { printerId: printer.id, checkedAt: new Date().toISOString(), ...parseHostStatus(answer) };
  } catch (error) {
    if (!(error instanceof HostStatusError)) throw error;
    throw new ProblemError({
      type: 'barcode/printer-answer-unreadable',
      status: 502,
      title: 'Printer answer unreadable',
      detail: `Printer ${printer.code} (${printer.name}) answered ~HS with something that is not a Zebra host status (${error.field}): ${error.message}`,
      extensions: { printerId: printer.id, printerCode: printer.code, field: error.field },
    });
  }
}
