/**
 * Demo RFID on top of the server's demo catalogue (and fixed-assets', maintenance's and inventory's
 * demos when those plugins are enabled):
 *
 * - a Zebra FX9600 portal on the dock door of Main DC's receiving area: antennas 1–2 face the yard
 *   (outer side, the Main DC site), antennas 3–4 face Receiving (inner side);
 * - an Impinj R700 on the ceiling of the tool crib, both antennas watching the crib;
 * - asset tags: GIAI-96 EPCs under the demo GS1 Company Prefix 0614141 (the one the barcode demo
 *   sets), enrolled in the core to the demo assets (laptops, the drill, the torque wrenches);
 * - stock tags: SGTIN-96 EPCs of the battery packs and first aid kits the inventory demo keeps in
 *   the tool crib, one per unit on hand (they name their items by GTIN, no enrolment needed);
 * - a day of reads, all in the past (times count back from now): a day ago the laptop delivered with
 *   PO-7702 came in through the dock door with a supplier's carton; three hours ago the field laptop
 *   went out; a stray tag was caught at the door; the crib reader reported its shelves every few
 *   hours, and the spare laptop turned up there.
 *
 * Readers are registered through the core's `deviceRegistry` and the reads go through the core's
 * `deviceIngestion` (decoding, de-duplication, the tag consumer), so movements with portal
 * directions, asset relocations and unknown tags come out exactly as from real readers. Locations
 * are found by code and skipped when missing; assets and stock only through fixed-assets' and
 * inventory's services, and only when those plugins are enabled. Nothing is seeded twice: the
 * readers' codes say it was done.
 */
import { ProblemError, deviceIngestion, deviceRegistry, type DeviceIngestInput, type DeviceIngestionService, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { SYSTEM_ACTOR, identifierService } from '@quartermaster/core';
import { fixedAssetsService, type AssetSummary, type FixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import { inventoryService } from '@quartermaster/plugin-inventory/shared';
import { EpcError, epcFromGs1, gs1CheckDigit } from '../domain/index.js';
import { READER_ADAPTER_ID, type ReaderSettings } from '../shared/index.js';

const DEMO_ACTOR = { ...SYSTEM_ACTOR, label: 'demo data' };
const HOUR = 3_600_000;

/** Codes of the demo readers (the tests find them by these). */
export const DEMO_READERS = { dock: 'RTM-DOCK-01', crib: 'RTM-CRIB-01' } as const;

/**
 * GS1's own example Company Prefix (EPC Tag Data Standard, General Specifications): never a real
 * company's, and the barcode demo's, so the asset GIAIs and the labels agree.
 */
export const DEMO_COMPANY_PREFIX = '0614141';

/** GIAI-96 of an asset under the demo prefix; references from 4100001 keep clear of keys the barcode plugin allocates from 1. */
export const demoGiai = (n: number) => epcFromGs1({ giai: `${DEMO_COMPANY_PREFIX}${4_100_000 + n}` }, { companyPrefixLength: 7, filter: 0 }).hex;

/** A supplier's carton: GTIN under 9521234, in the 952 range GS1 keeps for demonstrations, so it names nothing here. */
const SUPPLIER_GTIN = (() => {
  const body = '0952123454321';
  return body + gs1CheckDigit(body);
})();
export const DEMO_UNKNOWN_TAGS = {
  /** SGTIN-96 on the supplier's carton that came in with PO-7702. */
  carton: epcFromGs1({ gtin: SUPPLIER_GTIN, serial: '70211' }, { companyPrefixLength: 7, filter: 2 }).hex,
  /** Not a GS1 EPC: a tag as it left the factory, on a neighbour's pallet passing the door. */
  stray: 'E2801170200014A3C90B2F17',
} as const;

interface Read {
  epc: string;
  antenna: number;
  rssi: number;
  at: number;
}

interface Plan {
  dock: { key: string } | null;
  cribReader: { key: string } | null;
  /** EPCs of assets by their role in the story, and what lies in the crib. */
  inbound: string | null;
  outbound: string | null;
  spare: string | null;
  crib: string[];
}

export async function seedRfidDemo(ctx: PluginContext<any>): Promise<void> {
  const registry = ctx.services.get(deviceRegistry);
  const assets = ctx.services.getOptional(fixedAssetsService);
  const inventory = ctx.services.getOptional(inventoryService);

  const plan = await ctx.transaction(DEMO_ACTOR, async (tx): Promise<Plan | null> => {
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('rfid.demo-data'))`);
    if ((await registry.byCode(DEMO_READERS.dock, tx)) || (await registry.byCode(DEMO_READERS.crib, tx))) return null;
    const locs = new Map((await tx.execute<{ code: string; id: string }>(`SELECT code, id FROM core_location WHERE code IS NOT NULL AND NOT archived`)).map((r) => [r.code, r.id]));
    const [site, receiving, toolCrib] = [locs.get('RTM'), locs.get('RCV'), locs.get('TC')];
    const portal = !!(site && receiving);
    if (!portal && !toolCrib) return null;

    let dock: Plan['dock'] = null;
    if (portal) {
      const settings: ReaderSettings = {
        antennas: [
          { antenna: 1, locationId: site!, portalSide: 'outer' },
          { antenna: 2, locationId: site!, portalSide: 'outer' },
          { antenna: 3, locationId: receiving!, portalSide: 'inner' },
          { antenna: 4, locationId: receiving!, portalSide: 'inner' },
        ],
        dedupeWindowSeconds: 5,
        rssiThresholdDbm: -70,
        portalWindowSeconds: 10,
      };
      const r = await registry.register(tx, { code: DEMO_READERS.dock, name: 'Dock door 1 portal', kind: 'rfid-reader', adapter: READER_ADAPTER_ID, model: 'Zebra FX9600', locationId: receiving, settings });
      dock = { key: r.key };
    }
    let cribReader: Plan['cribReader'] = null;
    if (toolCrib) {
      const settings: ReaderSettings = {
        antennas: [
          { antenna: 1, locationId: toolCrib },
          { antenna: 2, locationId: toolCrib },
        ],
        // Shelves are reported every few hours; a minute apart is the same sighting.
        dedupeWindowSeconds: 60,
        rssiThresholdDbm: -75,
      };
      const r = await registry.register(tx, { code: DEMO_READERS.crib, name: 'Tool crib ceiling reader', kind: 'rfid-reader', adapter: READER_ADAPTER_ID, model: 'Impinj R700', locationId: toolCrib, settings });
      cribReader = { key: r.key };
    }

    // Asset tags, enrolled as at a tagging desk: the core's `epc` identifiers.
    const all = assets ? await demoAssets(tx, assets) : [];
    const enrolled = new Map<string, string>();
    for (const [i, a] of all.entries()) {
      const epc = demoGiai(i + 1);
      await ctx.services.get(identifierService).assign(tx, { type: 'epc', value: epc, targetType: 'fixed-assets.asset', targetId: a.id });
      enrolled.set(a.id, epc);
    }
    const epcOf = (a: AssetSummary | undefined) => (a ? (enrolled.get(a.id) ?? null) : null);
    const laptops = all.filter((a) => a.name.startsWith('Laptop'));
    const inbound = epcOf(laptops.find((a) => a.status === 'received'));
    const outbound = epcOf(laptops.find((a) => a.status === 'checked-out'));
    const spare = epcOf(laptops.find((a) => a.status === 'in-service' && a.locationId === site && a.name.includes('14"')));
    const inCrib = toolCrib ? all.filter((a) => a.locationId === toolCrib).map((a) => enrolled.get(a.id)!) : [];

    // Stock in the crib: one SGTIN per unit the inventory has there (a few at most per item).
    const stock: string[] = [];
    if (inventory && toolCrib) {
      for (const sku of ['BAT-18V-5AH', 'FAK-STD']) {
        const [item] = await tx.execute<{ id: string; gtin: string | null }>(
          `SELECT s.target_id AS id, (SELECT g.value FROM core_identifier g WHERE g.type = 'gtin' AND g.target_type = 'core.item' AND g.target_id = s.target_id ORDER BY g.value LIMIT 1) AS gtin
             FROM core_identifier s WHERE s.type = 'sku' AND s.target_type = 'core.item' AND s.value = $1`,
          [sku],
        );
        if (!item?.gtin) continue;
        const onHand = Math.min(6, Math.floor(Number((await inventory.stockAt(item.id, toolCrib)).onHand)));
        try {
          // The demo catalogue's GTINs sit under a 7-digit prefix; any split encodes the same GTIN.
          for (let i = 1; i <= onHand; i++) stock.push(epcFromGs1({ gtin: item.gtin, serial: String(24_000 + i) }, { companyPrefixLength: 7, filter: 1 }).hex);
        } catch (err) {
          if (!(err instanceof EpcError)) throw err; // a GTIN no SGTIN can carry: no stock tags for it
        }
      }
    }
    return { dock, cribReader, inbound, outbound, spare, crib: [...inCrib, ...stock] };
  });
  if (!plan) return;

  // --- The day's reads, oldest first per reader, through the core's ingestion (as the readers would post them).
  const ingestion = ctx.services.get(deviceIngestion);
  const now = Date.now();
  const send = async (key: string, reads: Read[], shape: (r: Read) => unknown) => {
    const events = reads.sort((a, b) => a.at - b.at).map(shape);
    // A few events per post, as readers batch them; small enough for the smallest ingestion queue (10).
    for (let i = 0; i < events.length; i += 8) {
      const body = events.slice(i, i + 8);
      await ingestPatiently(ingestion, { key, transport: 'http', body, text: JSON.stringify(body), contentType: 'application/json', source: 'demo data' });
    }
  };
  // Zebra IoT Connector tag data events and Impinj R700 tag inventory events, as each reader sends them.
  const zebra = (r: Read) => ({ data: { eventNum: 1, format: 'epc', idHex: r.epc.toLowerCase(), antenna: r.antenna, peakRssi: r.rssi, reads: 1, channel: 866.9 }, timestamp: new Date(r.at).toISOString(), type: 'SIMPLE' });
  const impinj = (r: Read) => ({ timestamp: new Date(r.at).toISOString(), hostname: 'impinj-14-e1-7c', eventType: 'tagInventory', tagInventoryEvent: { epcHex: r.epc, antennaPort: r.antenna, peakRssiCdbm: r.rssi * 100 } });

  /** A pass through the portal: the side it comes from first, then the other, reads interleaving at the door. */
  const pass = (epc: string, at: number, direction: 'in' | 'out'): Read[] => {
    const [first, second] = direction === 'in' ? [[1, 2], [3, 4]] : [[3, 4], [1, 2]];
    return [
      { epc, antenna: first[0], rssi: -61, at },
      { epc, antenna: first[1], rssi: -58, at: at + 400 },
      { epc, antenna: second[0], rssi: -63, at: at + 900 },
      { epc, antenna: first[0], rssi: -67, at: at + 1_100 },
      { epc, antenna: second[1], rssi: -55, at: at + 1_600 },
    ];
  };

  if (plan.dock) {
    const delivery = now - 26 * HOUR;
    const payloads: Read[][] = [
      // A day ago: PO-7702 arrives — the laptop and the supplier's carton are wheeled in together.
      [...(plan.inbound ? pass(plan.inbound, delivery, 'in') : []), ...pass(DEMO_UNKNOWN_TAGS.carton, delivery + 300, 'in')],
      // Three hours ago: the field laptop leaves for the site survey.
      plan.outbound ? pass(plan.outbound, now - 3 * HOUR, 'out') : [],
      // A pallet on a passing forklift, seen faintly by one yard-side antenna only, and one read too weak to count.
      [
        { epc: DEMO_UNKNOWN_TAGS.stray, antenna: 1, rssi: -66, at: now - 2 * HOUR },
        { epc: DEMO_UNKNOWN_TAGS.stray, antenna: 2, rssi: -74, at: now - 2 * HOUR + 700 },
      ],
    ];
    for (const reads of payloads) await send(plan.dock.key, reads, zebra);
  }
  if (plan.cribReader) {
    // The crib reader reports what is on its shelves every few hours; the spare laptop is put away there in between.
    const rounds = [now - 8 * HOUR, now - 5 * HOUR, now - 2 * HOUR, now - 20 * 60_000];
    for (const [i, round] of rounds.entries()) {
      const tags = [...plan.crib, ...(plan.spare && i >= 2 ? [plan.spare] : [])];
      const reads = tags.map((epc, j) => ({ epc, antenna: 1 + (j % 2), rssi: -52 - (j % 7) * 2, at: round + j * 150 }));
      await send(plan.cribReader.key, reads, impinj);
    }
  }
  await ingestion.idle();
}

/** The demo's assets that stand on their own (no components), in tag order, through fixed-assets' service. */
async function demoAssets(tx: Transaction, assets: FixedAssetsService): Promise<AssetSummary[]> {
  const tags = await tx.execute<{ value: string }>(`SELECT value FROM core_identifier WHERE type = 'asset-tag' AND target_type = 'fixed-assets.asset' ORDER BY value LIMIT 200`);
  const out: AssetSummary[] = [];
  for (const { value } of tags) {
    const a = await assets.findByTag(value);
    if (a && !a.parentId && a.locationId && ['in-service', 'received', 'checked-out'].includes(a.status)) out.push(a);
  }
  return out;
}

/** Ingest as a reader does: when the queue is full (503), wait for it to drain and send again. */
async function ingestPatiently(ingestion: DeviceIngestionService, input: DeviceIngestInput): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ingestion.ingest(input);
      return;
    } catch (err) {
      if (!(err instanceof ProblemError && err.status === 503) || attempt >= 20) throw err;
      await ingestion.idle();
    }
  }
}
