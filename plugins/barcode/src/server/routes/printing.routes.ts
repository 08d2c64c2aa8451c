/** Network printing: labels sent to Zebra-compatible printers, their status, and the print jobs. */
import { IdParams, Page, ProblemSchema, Type, errorResponses, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf } from '@quartermaster/core';
import { PRINTER_ADAPTER_ID, PrintBody, PrintJobSchema, PrintJobsQuery, PrinterSchema, PrinterStatusSchema, PrintersQuery, permissions } from '../../shared/index.js';
import { listPrintJobs, listPrinters, printLabels, printerStatus } from '../services/printing.service.js';

/** A printer that cannot be reached, or answers nonsense, is a bad gateway: the request itself was fine. */
const printerErrors = { ...errorResponses, 502: ProblemSchema };

export function printingRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  app.post(
    '/labels/print',
    {
      config: { permission: permissions.print },
      schema: {
        summary: 'Print labels on a network printer',
        description:
          `The same template and targets as \`POST /labels\` (the template may be left out when the printer has a default one), built as ZPL at the printer's dpi — a template's own \`dpi\` is replaced — with \`copies\` (1–1000, default 1) of each label (^PQ), sent over raw TCP to the printer's host and port, and recorded as a print job with an audit record and the event \`barcode.labels.printed\`. 201 with the job when the printer took the labels. The printer must be an enabled device of kind \`printer\` with the \`${PRINTER_ADAPTER_ID}\` adapter: an unknown device 422 \`barcode/unknown-printer\`, another kind or adapter 422 \`barcode/not-a-printer\`, a disabled one 422 \`barcode/printer-disabled\`, each naming \`printerId\`. Target refusals are those of \`POST /labels\`. A printer that refuses the connection or times out: the job is recorded as failed (audited, no event) and the answer is 502 \`barcode/printer-unreachable\` naming the printer and why, with \`jobId\`.`,
        body: PrintBody,
        response: { 201: PrintJobSchema, ...printerErrors },
      },
    },
    async (req, reply) => {
      const job = await printLabels(ctx, req.actor, req.body);
      return reply.status(201).send(job);
    },
  );

  app.get(
    '/printers',
    {
      config: { permission: permissions.print },
      schema: {
        summary: 'Network label printers',
        description: `Devices of kind \`printer\` with the \`${PRINTER_ADAPTER_ID}\` adapter, disabled ones included, by name: their settings with the defaults applied (port 9100, 203 dpi, timeouts) and their latest print job. Printers are registered and changed in the core's device registry (\`/api/core/devices\`).`,
        querystring: PrintersQuery,
        response: { 200: Type.Array(PrinterSchema), ...errorResponses },
      },
    },
    async () => listPrinters(db),
  );

  app.get(
    '/printers/:id/status',
    {
      config: { permission: permissions.print },
      schema: {
        summary: "Ask a printer its status (~HS)",
        description:
          'Connects to the printer, sends `~HS` and reads its three-string host status: ready, paper out, paused, head open, ribbon out, over/under temperature, buffer full, labels remaining in the batch… (`state` is the worst condition, `conditions` all of them). Not a network label printer: 404; disabled: 422 `barcode/printer-disabled`. Unreachable, or no answer within the printer\'s timeout (some firmware stays silent while media or ribbon is out or the head is open): 502 `barcode/printer-unreachable`; an answer that is not a host status: 502 `barcode/printer-answer-unreadable`.',
        params: IdParams,
        response: { 200: PrinterStatusSchema, ...printerErrors },
      },
    },
    async (req) => printerStatus(db, req.params.id),
  );

  app.get(
    '/print-jobs',
    {
      config: { permission: permissions.print },
      schema: {
        summary: 'Print jobs, newest first',
        description: 'Every job sent to a network printer, sent or failed (with why). Filter by `printerId` and `status`.',
        querystring: PrintJobsQuery,
        response: { 200: Page(PrintJobSchema), ...errorResponses },
      },
    },
    async (req) => listPrintJobs(db, req.query),
  );
}
