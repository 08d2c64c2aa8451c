/** The GS1 company prefix and the keys allocated from it. */
import { Type, errorResponses, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { readerOf } from '@quartermaster/core';
import { AllocateBody, AllocationSchema, BarcodeSettingsSchema, BarcodeSettingsUpdate, permissions } from '../../shared/index.js';
import { allocateKeys, checkAllocateBody, readSettings, updateSettings } from '../services/keys.service.js';

export function keyRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  app.get(
    '/settings',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'GS1 company prefix and allocation counters',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: BarcodeSettingsSchema, ...errorResponses },
      },
    },
    async () => readSettings(db),
  );

  app.put(
    '/settings',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Change the GS1 company prefix, the default SSCC extension digit or a counter',
        description: 'Send only what changes. A counter may not go back while the company prefix stays the same (those keys were handed out); with a new prefix any counter may be set. Emits `barcode.settings.updated`.',
        body: BarcodeSettingsUpdate,
        response: { 200: BarcodeSettingsSchema, ...errorResponses },
      },
    },
    async (req) => ctx.transaction(req.actor, (tx) => updateSettings(tx, req.body)),
  );

  app.post(
    '/allocate',
    {
      config: { permission: permissions.manage },
      schema: {
        summary: 'Allocate SSCC, GIAI or GRAI keys',
        description:
          'Hands out `count` (1–1000) keys from the company prefix and the key type\'s counter, check digits computed, and moves the counter past them under a row lock: concurrent allocations never share a key. SSCC: extension digit from the body or the settings. GRAI: `assetType` required, the counter gives the serial component. No prefix: 422 `barcode/no-company-prefix`; SSCC serial references used up: 422 `barcode/keys-exhausted`. Emits `barcode.keys.allocated`.',
        body: AllocateBody,
        response: { 201: AllocationSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      checkAllocateBody(req.body);
      const allocation = await ctx.transaction(req.actor, (tx) => allocateKeys(tx, req.body));
      return reply.status(201).send(allocation);
    },
  );
}
