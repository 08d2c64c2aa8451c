/** Reading what scanners send: GS1 parsing, and what a scan means in this installation. */
import { errorResponses, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { parseGs1 } from '../../domain/index.js';
import { Gs1ParseBody, Gs1ParseResultSchema, ScanBody, ScanResultSchema, permissions } from '../../shared/index.js';
import { asProblem, utcToday } from '../services/gs1-reading.js';
import { resolveScan } from '../services/scan.service.js';

export function scanRoutes(app: PluginApp, ctx: PluginContext<any>) {
  app.post(
    '/gs1/parse',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'Parse GS1 data',
        description:
          'Reads an element string as scanned (optional symbology identifier such as `]d2`, FNC1 as GS), the bracketed form `(01)…(17)…`, a GS1 Digital Link URI or a plain GTIN-8/12/13/14 into Application Identifiers with titles, dates (two-digit years placed by the server\'s UTC date), decimals and currencies. Invalid data answers 422 `gs1-invalid` whose `detail` says why, with `code`, `ai` and `position` (0-based offset in the input).',
        body: Gs1ParseBody,
        response: { 200: Gs1ParseResultSchema, ...errorResponses },
      },
    },
    async (req) => asProblem(() => parseGs1(req.body.data, { today: utcToday() })),
  );

  app.post(
    '/scan',
    {
      config: { permission: permissions.read },
      schema: {
        summary: 'What does this scan mean here?',
        description:
          'Resolves a scan through the core identifier registry, GS1 content (GTIN → item, lot (10) → the inventory lot with a receipt prefill, serial (21), GIAI/GRAI → asset), asset tags and location codes. `kind` says what it named; `unknown` still answers the GS1 content read (`parsed`). `lot` is present when inventory knows the scanned lot; `receiptPrefill` when inventory is enabled and the GTIN names an item.',
        body: ScanBody,
        response: { 200: ScanResultSchema, ...errorResponses },
      },
    },
    async (req) => resolveScan(ctx, req.body.data),
  );
}
