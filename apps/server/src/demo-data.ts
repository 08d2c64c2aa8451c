import { SYSTEM_ACTOR, type Platform } from '@quartermaster/core';
import type { Transaction } from '@quartermaster/sdk';

/** GS1 check digit (mod 10, weights 3/1 from the right) so demo GTINs scan as real ones. */
export function gs1CheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

interface LocationSeed {
  name: string;
  type: string;
  code?: string;
  address?: string;
  latitude?: number;
  longitude?: number;
  children?: LocationSeed[];
}

const bins = (aisle: number, n: number): LocationSeed[] =>
  Array.from({ length: n }, (_, i) => ({ name: `Bin ${aisle}-${String(i + 1).padStart(2, '0')}`, type: 'bin', code: `A${aisle}-${String(i + 1).padStart(2, '0')}` }));

const LOCATIONS: LocationSeed[] = [
  {
    name: 'Main DC',
    type: 'site',
    code: 'RTM',
    address: 'Waalhaven Oostzijde 1, 3087 BM Rotterdam, Netherlands',
    latitude: 51.8858,
    longitude: 4.4396,
    children: [
      {
        name: 'Warehouse A',
        type: 'building',
        children: [
          { name: 'Receiving', type: 'zone', code: 'RCV' },
          { name: 'Aisle 1', type: 'aisle', children: bins(1, 4) },
          { name: 'Aisle 2', type: 'aisle', children: bins(2, 4) },
          { name: 'Aisle 3', type: 'aisle', children: bins(3, 4) },
          { name: 'Dispatch', type: 'zone', code: 'DSP' },
        ],
      },
      { name: 'Tool crib', type: 'room', code: 'TC' },
    ],
  },
  {
    name: 'Utrecht Store',
    type: 'site',
    code: 'UTR',
    address: 'Oudegracht 100, 3511 AV Utrecht, Netherlands',
    latitude: 52.0907,
    longitude: 5.1214,
    children: [
      { name: 'Shop floor', type: 'zone', children: [{ name: 'Shelf S1', type: 'shelf' }, { name: 'Shelf S2', type: 'shelf' }] },
      { name: 'Back room', type: 'zone', children: [{ name: 'Bin B-01', type: 'bin' }, { name: 'Bin B-02', type: 'bin' }] },
      { name: 'Service van 1', type: 'vehicle', code: 'VAN-1' },
    ],
  },
];

const CATEGORIES: { name: string; parent?: string; schema?: Record<string, unknown> }[] = [
  { name: 'Electronics' },
  {
    name: 'Laptops',
    parent: 'Electronics',
    schema: {
      type: 'object',
      properties: { cpu: { type: 'string' }, ramGb: { type: 'integer', minimum: 1 }, screenInches: { type: 'number' } },
      required: ['ramGb'],
    },
  },
  { name: 'Phones', parent: 'Electronics' },
  { name: 'Tools' },
  { name: 'Power tools', parent: 'Tools', schema: { type: 'object', properties: { voltage: { type: 'integer' } } } },
  { name: 'Hand tools', parent: 'Tools' },
  { name: 'Consumables' },
  { name: 'Packaging', parent: 'Consumables' },
  { name: 'Cleaning', parent: 'Consumables' },
  { name: 'Spare parts' },
  { name: 'Safety equipment' },
];

type ItemSeed = [name: string, category: string, kind: string, tracking: string, uom: string, sku: string, attributes?: Record<string, unknown>];
const ITEMS: ItemSeed[] = [
  ['Laptop 14" business', 'Laptops', 'asset', 'serial', 'ea', 'LAP-14-BIZ', { cpu: 'Intel Core Ultra 7', ramGb: 32, screenInches: 14 }],
  ['Laptop 16" workstation', 'Laptops', 'asset', 'serial', 'ea', 'LAP-16-WS', { cpu: 'AMD Ryzen 9', ramGb: 64, screenInches: 16 }],
  ['Rugged tablet 10"', 'Electronics', 'asset', 'serial', 'ea', 'TAB-10-RUG'],
  ['Handheld barcode scanner', 'Electronics', 'asset', 'serial', 'ea', 'SCN-HH-2D'],
  ['Smartphone 128 GB', 'Phones', 'asset', 'serial', 'ea', 'PHN-128'],
  ['USB-C charger 65 W', 'Electronics', 'stock', 'none', 'ea', 'CHG-USBC-65'],
  ['USB-C cable 2 m', 'Electronics', 'stock', 'none', 'ea', 'CBL-USBC-2M'],
  ['Cordless drill 18 V', 'Power tools', 'asset', 'serial', 'ea', 'DRL-18V', { voltage: 18 }],
  ['Angle grinder 125 mm', 'Power tools', 'asset', 'serial', 'ea', 'GRD-125', { voltage: 230 }],
  ['Battery pack 18 V 5 Ah', 'Power tools', 'stock', 'serial', 'ea', 'BAT-18V-5AH', { voltage: 18 }],
  ['Torque wrench 40-200 Nm', 'Hand tools', 'asset', 'serial', 'ea', 'TRQ-200'],
  ['Screwdriver set 12 pc', 'Hand tools', 'stock', 'none', 'set', 'SCR-SET-12'],
  ['Tape measure 8 m', 'Hand tools', 'stock', 'none', 'ea', 'TAP-8M'],
  ['Carton box 40x30x30', 'Packaging', 'consumable', 'none', 'ea', 'BOX-403030'],
  ['Carton box 60x40x40', 'Packaging', 'consumable', 'none', 'ea', 'BOX-604040'],
  ['Stretch film 500 mm', 'Packaging', 'consumable', 'none', 'roll', 'FLM-500'],
  ['Packing tape 50 mm', 'Packaging', 'consumable', 'none', 'roll', 'TAPE-50'],
  ['Pallet label A5', 'Packaging', 'consumable', 'none', 'box', 'LBL-A5'],
  ['Disinfectant spray 500 ml', 'Cleaning', 'consumable', 'lot', 'ea', 'DIS-500'],
  ['Nitrile gloves M (100)', 'Cleaning', 'consumable', 'lot', 'box', 'GLV-NIT-M'],
  ['Paper towels (6 rolls)', 'Cleaning', 'consumable', 'none', 'pack', 'TWL-6'],
  ['Bearing 6204-2RS', 'Spare parts', 'stock', 'none', 'ea', 'BRG-6204'],
  ['V-belt SPA 1250', 'Spare parts', 'stock', 'none', 'ea', 'BLT-SPA1250'],
  ['Hydraulic oil HLP 46 (20 l)', 'Spare parts', 'consumable', 'lot', 'can', 'OIL-HLP46-20'],
  ['Air filter element', 'Spare parts', 'stock', 'none', 'ea', 'FLT-AIR-01'],
  ['Fuse 10 A (pack of 10)', 'Spare parts', 'stock', 'none', 'pack', 'FUS-10A'],
  ['Safety helmet EN 397', 'Safety equipment', 'stock', 'none', 'ea', 'HLM-397'],
  ['Safety glasses clear', 'Safety equipment', 'stock', 'none', 'ea', 'GLS-CLR'],
  ['Hi-vis vest L', 'Safety equipment', 'stock', 'none', 'ea', 'VST-HV-L'],
  ['First aid kit', 'Safety equipment', 'stock', 'lot', 'ea', 'FAK-STD'],
  ['Ear defenders 30 dB', 'Safety equipment', 'stock', 'none', 'ea', 'EAR-30'],
  ['Forklift battery charger', 'Electronics', 'asset', 'serial', 'ea', 'FLC-CHG-48'],
];

/**
 * A small, realistic organisation for a first look: two sites with buildings, aisles and bins,
 * a category tree, and a few dozen items with SKUs and GTINs. Runs only on an empty catalogue
 * (no locations and no items), so it is idempotent and never touches real data.
 */
export async function seedDemoData(platform: Platform): Promise<boolean> {
  const seeded = await seedCoreDemoData(platform);
  // Plugins add theirs (stock, assets…) on top of the fresh catalogue, in load order.
  if (seeded) for (const p of platform.plugins) await p.definition.demoData?.(platform.context(p.definition.id));
  return seeded;
}

async function seedCoreDemoData(platform: Platform): Promise<boolean> {
  return platform.context('core').transaction({ ...SYSTEM_ACTOR, label: 'demo data' }, async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('core.demo-data'))`);
    const [existing] = await tx.execute(`SELECT 1 FROM core_location UNION ALL SELECT 1 FROM core_item LIMIT 1`);
    if (existing) return false;

    const insertLocation = async (seed: LocationSeed, parentId: string | null) => {
      const [row] = await tx.execute<{ id: string }>(
        `INSERT INTO core_location (name, type, parent_id, code, address, latitude, longitude) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
        [seed.name, seed.type, parentId, seed.code ?? null, seed.address ?? null, seed.latitude ?? null, seed.longitude ?? null],
      );
      await tx.audit({ action: 'created', entityType: 'core.location', entityId: row.id, after: { name: seed.name, type: seed.type, parentId } });
      if (seed.code) await identify(tx, 'qr', `QM-LOC:${seed.code}`, 'core.location', row.id);
      for (const child of seed.children ?? []) await insertLocation(child, row.id);
    };
    for (const site of LOCATIONS) await insertLocation(site, null);

    const categoryIds = new Map<string, string>();
    for (const c of CATEGORIES) {
      const [row] = await tx.execute<{ id: string }>(
        `INSERT INTO core_category (name, parent_id, attribute_schema) VALUES ($1, $2, $3::jsonb) RETURNING id`,
        [c.name, c.parent ? categoryIds.get(c.parent)! : null, c.schema ? JSON.stringify(c.schema) : null],
      );
      categoryIds.set(c.name, row.id);
      await tx.audit({ action: 'created', entityType: 'core.category', entityId: row.id, after: { name: c.name } });
    }

    let n = 0;
    for (const [name, category, kind, tracking, uom, sku, attributes] of ITEMS) {
      const [row] = await tx.execute<{ id: string }>(
        `INSERT INTO core_item (name, category_id, kind, tracking_mode, unit_of_measure, attributes) VALUES ($1,$2,$3,$4,$5,$6::jsonb) RETURNING id`,
        [name, categoryIds.get(category)!, kind, tracking, uom, JSON.stringify(attributes ?? {})],
      );
      await tx.audit({ action: 'created', entityType: 'core.item', entityId: row.id, after: { name, sku } });
      await identify(tx, 'sku', sku, 'core.item', row.id);
      // GS1 company prefix 8712345 (demo), item reference by position.
      const body = `8712345${String(10000 + n++).slice(-5)}`;
      await identify(tx, 'gtin', `0${body}${gs1CheckDigit(body)}`, 'core.item', row.id);
    }
    return true;
  });
}

async function identify(tx: Transaction, type: string, value: string, targetType: string, targetId: string) {
  await tx.execute(`INSERT INTO core_identifier (type, value, target_type, target_id) VALUES ($1, $2, $3, $4)`, [type, value, targetType, targetId]);
}
