/**
 * Demo stock on top of the server's demo catalogue: receipts over the last two months (some in
 * boxes, some by lot with expiry, serialized batteries), sales and consumption, transfers to the
 * store, a customer return, a recalled lot and a reservation. Items and locations are found by
 * their SKU and location code; anything missing is skipped, so a custom catalogue is never touched.
 */
import type { PluginContext } from '@quartermaster/sdk';
import { SYSTEM_ACTOR } from '@quartermaster/core';
import { postMove, type InventoryOptions, type MoveInput } from './services/ledger.service.js';
import { createReservation } from './services/reservation.service.js';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const dateIn = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export async function seedInventoryDemo(ctx: PluginContext<any>): Promise<void> {
  const options = ctx.options as InventoryOptions;
  await ctx.transaction({ ...SYSTEM_ACTOR, label: 'demo data' }, async (tx) => {
    const skus = new Map(
      (await tx.execute<{ value: string; target_id: string }>(`SELECT value, target_id FROM core_identifier WHERE type = 'sku' AND target_type = 'core.item'`)).map((r) => [r.value, r.target_id]),
    );
    const locs = new Map((await tx.execute<{ code: string | null; name: string; id: string }>(`SELECT code, name, id FROM core_location`)).flatMap((r) => [[r.name, r.id], ...(r.code ? [[r.code, r.id] as [string, string]] : [])]));
    const need = ['CHG-USBC-65', 'CBL-USBC-2M', 'BRG-6204', 'DIS-500', 'GLV-NIT-M', 'OIL-HLP46-20', 'BAT-18V-5AH', 'HLM-397', 'VST-HV-L', 'BOX-403030', 'FAK-STD', 'BLT-SPA1250', 'FLT-AIR-01'];
    if (need.some((s) => !skus.has(s)) || !['A1-01', 'A2-01', 'A3-01', 'TC', 'Shelf S1', 'Shelf S2', 'RCV'].every((c) => locs.has(c))) return;
    const i = (sku: string) => skus.get(sku)!;
    const l = (code: string) => locs.get(code)!;

    // Settings: spare parts at moving average, one bearing at standard cost, purchase units.
    const [spare] = await tx.execute<{ id: string }>(`SELECT id FROM core_category WHERE name = 'Spare parts' AND parent_id IS NULL`);
    if (spare) await tx.execute(`INSERT INTO inventory_category_settings (category_id, valuation_method) VALUES ($1, 'moving-average') ON CONFLICT DO NOTHING`, [spare.id]);
    await tx.execute(`INSERT INTO inventory_item_settings (item_id, valuation_method, standard_cost) VALUES ($1, 'standard', 4.20) ON CONFLICT DO NOTHING`, [i('BRG-6204')]);
    await tx.execute(
      `INSERT INTO inventory_item_uom (item_id, uom, factor) VALUES ($1, 'box', 20), ($2, 'case', 10), ($3, 'bundle', 25), ($4, 'carton', 12) ON CONFLICT DO NOTHING`,
      [i('CBL-USBC-2M'), i('GLV-NIT-M'), i('BOX-403030'), i('DIS-500')],
    );

    const moves: MoveInput[] = [
      {
        type: 'receipt',
        reference: 'PO-1001',
        effectiveAt: daysAgo(58),
        lines: [
          { itemId: i('CHG-USBC-65'), qty: 40, unitCost: '18.50', toLocationId: l('A1-01') },
          { itemId: i('CBL-USBC-2M'), qty: 3, uom: 'box', unitCost: '60.00', toLocationId: l('A1-02') ?? l('A1-01') },
          { itemId: i('BRG-6204'), qty: 50, unitCost: '4.35', toLocationId: l('A2-01') },
          { itemId: i('BLT-SPA1250'), qty: 12, unitCost: '11.80', toLocationId: l('A2-02') ?? l('A2-01') },
          { itemId: i('FLT-AIR-01'), qty: 20, unitCost: '7.90', toLocationId: l('A2-03') ?? l('A2-01') },
          { itemId: i('HLM-397'), qty: 30, unitCost: '9.95', toLocationId: l('A3-01') },
          { itemId: i('VST-HV-L'), qty: 60, unitCost: '3.10', toLocationId: l('A3-02') ?? l('A3-01') },
          { itemId: i('BOX-403030'), qty: 4, uom: 'bundle', unitCost: '21.25', toLocationId: l('A3-03') ?? l('A3-01') },
        ],
      },
      {
        type: 'receipt',
        reference: 'PO-1002',
        effectiveAt: daysAgo(45),
        lines: [
          { itemId: i('DIS-500'), qty: 4, uom: 'carton', unitCost: '25.20', lot: 'L2401', expiresOn: dateIn(20), toLocationId: l('A1-04') ?? l('A1-01') },
          { itemId: i('DIS-500'), qty: 4, uom: 'carton', unitCost: '27.00', lot: 'L2402', expiresOn: dateIn(200), toLocationId: l('A1-04') ?? l('A1-01') },
          { itemId: i('GLV-NIT-M'), qty: 2, uom: 'case', unitCost: '55.00', lot: 'G-778', expiresOn: dateIn(400), toLocationId: l('A3-04') ?? l('A3-01') },
          { itemId: i('OIL-HLP46-20'), qty: 6, unitCost: '89.00', lot: 'H46-0925', expiresOn: dateIn(700), toLocationId: l('A2-04') ?? l('A2-01') },
          { itemId: i('FAK-STD'), qty: 5, unitCost: '24.00', lot: 'FAK-24', expiresOn: dateIn(-10), toLocationId: l('TC') },
          { itemId: i('BAT-18V-5AH'), qty: 4, unitCost: '79.00', serials: ['BP-0001', 'BP-0002', 'BP-0003', 'BP-0004'], toLocationId: l('TC') },
        ],
      },
      { type: 'receipt', reference: 'PO-1003', effectiveAt: daysAgo(30), lines: [{ itemId: i('CHG-USBC-65'), qty: 20, unitCost: '19.90', toLocationId: l('A1-01') }, { itemId: i('BRG-6204'), qty: 20, unitCost: '4.05', toLocationId: l('A2-01') }] },
      { type: 'issue', reference: 'SO-5001', effectiveAt: daysAgo(25), lines: [{ itemId: i('CHG-USBC-65'), qty: 12, fromLocationId: l('A1-01') }, { itemId: i('VST-HV-L'), qty: 15, fromLocationId: l('A3-02') ?? l('A3-01') }] },
      { type: 'issue', reference: 'WO-2201', note: 'Conveyor 3 bearing replacement', effectiveAt: daysAgo(20), lines: [{ itemId: i('BRG-6204'), qty: 8, fromLocationId: l('A2-01') }, { itemId: i('BLT-SPA1250'), qty: 2, fromLocationId: l('A2-02') ?? l('A2-01') }] },
      { type: 'issue', reference: 'Cleaning round', effectiveAt: daysAgo(14), lines: [{ itemId: i('DIS-500'), qty: 30, fromLocationId: l('A1-04') ?? l('A1-01') }] },
      {
        type: 'transfer',
        reference: 'TR-UTR-01',
        effectiveAt: daysAgo(10),
        lines: [
          { itemId: i('HLM-397'), qty: 10, fromLocationId: l('A3-01'), toLocationId: l('Shelf S1') },
          { itemId: i('CBL-USBC-2M'), qty: 20, fromLocationId: l('A1-02') ?? l('A1-01'), toLocationId: l('Shelf S2') },
        ],
      },
      { type: 'issue', reference: 'POS-UTR-3391', effectiveAt: daysAgo(6), lines: [{ itemId: i('CBL-USBC-2M'), qty: 7, fromLocationId: l('Shelf S2') }, { itemId: i('HLM-397'), qty: 2, fromLocationId: l('Shelf S1') }] },
      { type: 'adjustment', reference: 'Damaged in handling', effectiveAt: daysAgo(3), lines: [{ itemId: i('BOX-403030'), qty: 6, fromLocationId: l('A3-03') ?? l('A3-01'), reason: 'crushed on pallet' }] },
    ];
    const posted = [];
    for (const m of moves) posted.push(await postMove(tx, m, options));

    // One charger from SO-5001 comes back, at the cost it left with.
    const [saleLine] = await tx.execute<{ id: string }>(`SELECT id FROM inventory_move_line WHERE move_id = $1 AND item_id = $2`, [posted[3].id, i('CHG-USBC-65')]);
    await postMove(tx, { type: 'customer-return', reference: 'RMA-88', effectiveAt: daysAgo(2), lines: [{ itemId: i('CHG-USBC-65'), qty: 1, toLocationId: l('A1-01'), returnOfLineId: String(saleLine.id) }] }, options);

    // A supplier recall on the oil lot, and chargers held for an open order.
    await tx.execute(`UPDATE inventory_lot SET blocked = true, block_reason = 'Supplier recall R-2026-14' WHERE item_id = $1 AND code = 'H46-0925'`, [i('OIL-HLP46-20')]);
    await createReservation(tx, { itemId: i('CHG-USBC-65'), locationId: l('A1-01'), qty: 5, referenceType: 'sales-order', reference: 'SO-5002' });
  });
}
