/**
 * Demo assets on top of the server's demo catalogue: business laptops numbered per category, a
 * delivery van with its tail-lift and GPS tracker as components, a cordless drill in the tool
 * crib; one laptop out with a field technician, the workstation booked for next week. Locations
 * and items are found by their codes and SKUs; without the demo locations nothing is seeded, and
 * nothing is seeded twice.
 */
import type { PluginContext } from '@quartermaster/sdk';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import type { FixedAssetsOptions } from './options.js';
import { createAsset, type CreateAssetInput } from './services/assets.service.js';
import { createBooking } from './services/bookings.service.js';
import { checkOutAsset } from './services/custody.service.js';
import { setAssetBook } from './services/asset-books.service.js';
import { transitionAsset } from './services/lifecycle.service.js';

const DAY = 86_400_000;
const dayOffset = (n: number) => new Date(Date.now() + n * DAY);
const dateOffset = (n: number) => dayOffset(n).toISOString().slice(0, 10);

export async function seedFixedAssetsDemo(ctx: PluginContext<any>): Promise<void> {
  const options = ctx.options as FixedAssetsOptions;
  await ctx.transaction({ ...SYSTEM_ACTOR, label: 'demo data' }, async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('fixed-assets.demo-data'))`);
    const [seeded] = await tx.execute(`SELECT 1 FROM fixed_assets_asset LIMIT 1`);
    if (seeded) return;
    const locs = new Map((await tx.execute<{ code: string; id: string }>(`SELECT code, id FROM core_location WHERE code IS NOT NULL AND NOT archived`)).map((r) => [r.code, r.id]));
    if (!['RTM', 'UTR', 'TC'].every((c) => locs.has(c))) return;
    const skus = new Map(
      (await tx.execute<{ value: string; target_id: string }>(`SELECT value, target_id FROM core_identifier WHERE type = 'sku' AND target_type = 'core.item'`)).map((r) => [r.value, r.target_id]),
    );
    const categories = new Map((await tx.execute<{ name: string; id: string }>(`SELECT name, id FROM core_category`)).map((r) => [r.name, r.id]));
    const laptops = categories.get('Laptops') ?? null;
    if (laptops) {
      // Laptops carry their own numbering (LAP-0001) and two fields the IT desk asks for.
      await tx.execute(
        `INSERT INTO fixed_assets_category_settings (category_id, tag_code, tag_pattern, field_definitions) VALUES ($1, 'LAP', '{CAT}-{####}', $2::jsonb) ON CONFLICT DO NOTHING`,
        [laptops, JSON.stringify([
          { key: 'ramGb', label: 'RAM (GB)', type: 'integer', min: 1 },
          { key: 'os', label: 'Operating system', type: 'select', options: ['Windows 11', 'Ubuntu 24.04', 'macOS'] },
        ])],
      );
    }
    const [sanne] = await tx.execute<{ id: string; name: string }>(
      `INSERT INTO fixed_assets_person (name, email, employee_number, department) VALUES ('Sanne de Vries', 'sanne.devries@example.com', 'E-1042', 'Field service') RETURNING id, name`,
    );
    const [jan] = await tx.execute<{ id: string; name: string }>(
      `INSERT INTO fixed_assets_person (name, email, employee_number, department) VALUES ('Jan Bakker', 'jan.bakker@example.com', 'E-1077', 'Engineering') RETURNING id, name`,
    );

    const add = (input: CreateAssetInput) => createAsset(tx, input, options);
    const laptop = {
      itemId: skus.get('LAP-14-BIZ') ?? null,
      categoryId: laptops,
      locationId: locs.get('RTM')!,
      supplier: 'Centric IT Solutions',
      purchaseDate: dateOffset(-240),
      invoiceNumber: 'INV-2025-3318',
      acquisitionCost: '1249.00',
      warrantyEnd: dateOffset(-240 + 3 * 365),
      department: 'Field service',
      costCentre: 'CC-410',
    };
    // Each depreciable asset in the financial book (straight-line, monthly) and the tax book (MACRS):
    // the depreciation tab, the run wizard and the reports have something to show from the start.
    const books = async (id: string, placedInService: string, usefulLifeYears: number, recoveryPeriodYears: 5 | 7, salvageValue = '0') => {
      await setAssetBook(tx, id, 'financial', { method: 'straight-line', usefulLifeYears, salvageValue, placedInService }, options.currencyMinorUnits);
      await setAssetBook(tx, id, 'tax', { method: 'macrs', recoveryPeriodYears, placedInService }, options.currencyMinorUnits);
    };
    const fieldLaptop = await add({ ...laptop, name: 'Laptop 14" business', serialNumber: 'PF4K2Z19', customFields: laptops ? { ramGb: 32, os: 'Windows 11' } : {}, custodianPersonId: sanne.id });
    const spareLaptop = await add({ ...laptop, name: 'Laptop 14" business', serialNumber: 'PF4K2Z27', customFields: laptops ? { ramGb: 32, os: 'Windows 11' } : {} });
    for (const id of [fieldLaptop, spareLaptop]) await books(id, laptop.purchaseDate, 3, 5);
    const workstation = await add({
      ...laptop,
      name: 'Laptop 16" workstation',
      itemId: skus.get('LAP-16-WS') ?? null,
      serialNumber: '5CG3481QX2',
      acquisitionCost: '2890.00',
      department: 'Engineering',
      costCentre: 'CC-220',
      customFields: laptops ? { ramGb: 64, os: 'Ubuntu 24.04' } : {},
    });
    await books(workstation, laptop.purchaseDate, 4, 5);

    const van = await add({
      name: 'Delivery van Mercedes-Benz Sprinter 317 CDI',
      serialNumber: 'WDB9076331P552901',
      locationId: locs.get('UTR')!,
      supplier: 'Mercedes-Benz Trucks Utrecht',
      purchaseDate: dateOffset(-700),
      invoiceNumber: 'MB-88412',
      acquisitionCost: '48750.00',
      warrantyEnd: dateOffset(-700 + 2 * 365),
      department: 'Logistics',
      costCentre: 'CC-300',
      notes: 'Licence plate VZ-318-K',
    });
    await books(van, dateOffset(-700), 6, 5, '8000.00');
    await add({ name: 'Tail lift Dhollandia 750 kg', serialNumber: 'DH-T750-20931', parentId: van, acquisitionCost: '6400.00', purchaseDate: dateOffset(-700), supplier: 'Dhollandia Benelux' });
    await add({ name: 'GPS tracker Teltonika FMB920', serialNumber: '356307042519876', parentId: van, acquisitionCost: '89.00', purchaseDate: dateOffset(-650) });

    const drill = await add({
      name: 'Cordless drill 18 V',
      itemId: skus.get('DRL-18V') ?? null,
      categoryId: categories.get('Power tools') ?? null,
      serialNumber: 'DRL-7731-0415',
      locationId: locs.get('TC')!,
      supplier: 'Toolstation',
      purchaseDate: dateOffset(-400),
      acquisitionCost: '189.95',
      condition: 'fair',
    });
    await books(drill, dateOffset(-400), 3, 7);
    const ordered = await add({ name: 'Laptop 14" business', ...laptop, purchaseDate: undefined, status: 'ordered', customFields: laptops ? { ramGb: 32, os: 'Windows 11' } : {}, notes: 'On order, PO-7702' });
    await transitionAsset(tx, ordered, 'received', 'Delivered with PO-7702');

    await checkOutAsset(tx, fieldLaptop, { holder: { type: 'person', id: sanne.id, label: sanne.name }, expectedReturnAt: dayOffset(14).toISOString(), condition: 'good', note: 'Site survey Waalhaven' });
    await createBooking(
      tx,
      { assetIds: [workstation], startsAt: dayOffset(7).toISOString(), endsAt: dayOffset(11).toISOString(), holder: { type: 'person', id: jan.id, label: jan.name }, note: 'FEM analysis on site' },
      options,
    );
  });
}
