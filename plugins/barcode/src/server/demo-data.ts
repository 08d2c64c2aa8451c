/**
 * Demo barcode settings: a GS1 Company Prefix, so SSCC, GIAI and GRAI allocation and the labels
 * that carry those keys work on a fresh demo without a trip to the settings first.
 *
 * The prefix is 0614141, the one GS1 uses in its own examples (the EPC Tag Data Standard's worked
 * examples, the General Specifications): it is not a prefix GS1 licenses to a company, so keys
 * printed from the demo never collide with a real organisation's, and the RFID demo's asset tags
 * (GIAI-96 under the same prefix) agree with what this plugin allocates. A real installation sets
 * its own licensed prefix in the settings; a prefix already set is never touched.
 */
import type { PluginContext } from '@quartermaster/sdk';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { updateSettings } from './services/keys.service.js';

export const DEMO_COMPANY_PREFIX = '0614141';

export async function seedBarcodeDemo(ctx: PluginContext<any>): Promise<void> {
  await ctx.transaction({ ...SYSTEM_ACTOR, label: 'demo data' }, async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('barcode.demo-data'))`);
    const [settings] = await tx.execute<{ company_prefix: string | null }>(`SELECT company_prefix FROM barcode_settings WHERE id = 1`);
    if (!settings || settings.company_prefix) return;
    // Through the settings service: audited and announced as a change made in the console would be.
    await updateSettings(tx, { companyPrefix: DEMO_COMPANY_PREFIX });
  });
}
