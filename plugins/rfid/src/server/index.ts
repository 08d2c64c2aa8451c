import { createServiceRef, definePlugin, deviceAdapters, readingConsumers, type PluginContext } from '@quartermaster/sdk';
import { identifierParsers } from '@quartermaster/core';
import { permissions, rfidEvents } from '../shared/index.js';
import { createRfidReaderAdapter } from './adapter.js';
import { seedRfidDemo } from './demo-data.js';
import { epcParser } from './epc-parser.js';
import { rfidMigration } from './migrations/0001_rfid.js';
import { epcRoutes } from './routes/epc.routes.js';
import { movementRoutes } from './routes/movements.routes.js';
import { stockCountRoutes } from './routes/stock-counts.routes.js';
import { tagRoutes } from './routes/tags.routes.js';
import { createRfidRuntime, tagReadConsumer, type RfidRuntime } from './services/tag-reads.service.js';

export { createRfidReaderAdapter, rfidReaderAdapter } from './adapter.js';

/** The plugin's own runtime (reader filters, EPC cache); internal, so not in the shared entry. */
const rfidRuntime = createServiceRef<RfidRuntime>('rfid.runtime');

export const rfidPlugin = definePlugin({
  id: 'rfid',
  version: '0.1.0',
  compatibility: '^0.1.0',
  displayName: 'RFID',
  description: 'Fixed UHF readers (Zebra FX, Impinj): EPC decoding, de-duplicated reads, zones and portal direction, tag movements that move assets, and RFID stock counts.',
  // Assets move where their tags are seen; counts compare with inventory on hand. Both optional.
  optionalDependsOn: { 'fixed-assets': '^0.1.0', inventory: '^0.1.0' },
  permissions: [
    { id: permissions.read, description: 'See RFID tags, movements, recent reads and stock counts; decode and encode EPCs' },
    { id: permissions.manage, description: 'Enrol RFID tags to items and assets; clear unknown tags' },
  ],
  events: { emits: rfidEvents },
  migrations: [rfidMigration],
  register(ctx) {
    // One runtime per platform: the consumer below is contributed now and reaches it in phase 2.
    let phase2: PluginContext<any> | undefined;
    ctx.provide(rfidRuntime, (c) => createRfidRuntime((phase2 = c)));
    ctx.extend(deviceAdapters, createRfidReaderAdapter());
    ctx.extend(readingConsumers, tagReadConsumer(() => phase2!.services.get(rfidRuntime)));
    ctx.extend(identifierParsers, epcParser);
  },
  async routes(app, ctx) {
    // Build the runtime now, so the consumer has it before the first reading arrives.
    ctx.services.get(rfidRuntime);
    epcRoutes(app);
    tagRoutes(app, ctx);
    movementRoutes(app, ctx);
    stockCountRoutes(app, ctx);
  },
  demoData: seedRfidDemo,
});

export default rfidPlugin;
