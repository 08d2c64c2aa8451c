import { definePlugin, deviceAdapters } from '@quartermaster/sdk';
import { identifierParsers } from '@quartermaster/core';
import { barcodeEvents, permissions } from '../shared/index.js';
import { barcodeMigration } from './migrations/0001_barcode.js';
import { printJobsMigration } from './migrations/0002_print_jobs.js';
import { seedBarcodeDemo } from './demo-data.js';
import { keyRoutes } from './routes/keys.routes.js';
import { labelRoutes } from './routes/labels.routes.js';
import { printingRoutes } from './routes/printing.routes.js';
import { scanRoutes } from './routes/scan.routes.js';
import { gs1IdentifierParser } from './services/gs1-reading.js';
import { zebraPrinterAdapter } from './printer-adapter.js';

export const barcodePlugin = definePlugin({
  id: 'barcode',
  version: '0.1.0',
  compatibility: '^0.1.0',
  displayName: 'Barcodes',
  description: 'GS1 parsing and scan resolution, barcode images and label sheets (HTML/SVG/ZPL), printing to Zebra network printers, GS1 key allocation (SSCC, GIAI, GRAI).',
  // Lots, receipt prefills and lot labels with inventory; assets by tag or GIAI with fixed-assets.
  optionalDependsOn: { 'fixed-assets': '^0.1.0', inventory: '^0.1.0' },
  permissions: [
    { id: permissions.read, description: 'Parse GS1 data, resolve scans, render barcodes and printable label sheets' },
    { id: permissions.manage, description: 'Set the GS1 company prefix and counters; allocate SSCC, GIAI and GRAI keys' },
    { id: permissions.print, description: 'Send labels to network printers; see the printers, their status and the print jobs' },
  ],
  events: { emits: barcodeEvents },
  migrations: [barcodeMigration, printJobsMigration],
  register(ctx) {
    // GS1 scans (element strings, bracketed, Digital Link, plain GTINs) become identifier lookups,
    // so GET /api/core/identifiers/resolve understands them too.
    ctx.extend(identifierParsers, gs1IdentifierParser());
    // Zebra-compatible network printers: the `printer` devices labels are sent to.
    ctx.extend(deviceAdapters, zebraPrinterAdapter);
  },
  routes(app, ctx) {
    scanRoutes(app, ctx);
    labelRoutes(app, ctx);
    keyRoutes(app, ctx);
    printingRoutes(app, ctx);
  },
  demoData: seedBarcodeDemo,
});

export default barcodePlugin;
