/**
 * The barcode plugin's answer to the console's global scan box: `POST /api/barcode/scan` says what
 * the scan names here, and the box opens it — a lot on its inventory page, an item, an asset (a
 * serial opens its asset, else its item), a location. A GS1 lot that inventory has not received yet
 * opens this plugin's scan page, which offers to receive it. Anything not known answers `null`, so
 * the core's identifier registry (and its item search) takes over; so does a plain code the
 * registry gives to several records, whose chooser the core's answer shows.
 */
import type { AdminScanAnswer, AdminScanContext, AdminScanMatch, AdminScanResolver } from '@quartermaster/sdk/admin';
import { BASE, P, ROUTE_BASE } from './constants';
import { normalizeScan } from './gs';
import type { ScanResult } from './types';

const MAX_DATA = 4000;

/** Where a `/scan` answer leads in the console, as one resolve match; `null` when it names nothing. */
export function scanTarget(answer: ScanResult): AdminScanMatch | null {
  const { item, lot, asset, location, serial } = answer;
  const identifier = (id: string, type: string, value: string) => ({ id, type, value });
  /** The registry's identifier that named this record, if one did (the chooser shows it). */
  const registryIdentifier = (id: string) => answer.matches.find((m) => m.target.id === id)?.identifier ?? identifier(id, 'scan', answer.input);
  const open = (type: string, id: string, label: string, href: string, ident = registryIdentifier(id)): AdminScanMatch => ({
    identifier: ident,
    target: { type, id, label, href },
  });
  const assetMatch = (a: NonNullable<ScanResult['asset']>) => open('fixed-assets.asset', a.id, `${a.tag} · ${a.name}`, `/fixed-assets/assets/${a.id}`);
  const itemMatch = (i: NonNullable<ScanResult['item']>) => open('core.item', i.id, i.name, `/items/${i.id}`);

  switch (answer.kind) {
    case 'lot':
      if (lot) return open('inventory.lot', lot.id, `${item ? `${item.name} · ` : ''}lot ${lot.code}`, `/inventory/lots/${lot.id}`, identifier(lot.id, 'lot', lot.code));
      // Not received yet: the scan page shows the GS1 content and offers the receipt.
      if (item) return open('barcode.scan', item.id, `${item.name} · lot not received yet`, `${ROUTE_BASE}/scan?data=${encodeURIComponent(answer.input)}`);
      return null;
    case 'serial':
      if (asset) return open('fixed-assets.asset', asset.id, `${asset.tag} · ${asset.name}`, `/fixed-assets/assets/${asset.id}`, identifier(asset.id, 'serial', serial ?? answer.input));
      if (item) return open('core.item', item.id, `${item.name} · serial ${serial ?? ''}`.trim(), `/items/${item.id}`, identifier(item.id, 'serial', serial ?? answer.input));
      return null;
    case 'item':
      return item ? itemMatch(item) : null;
    case 'asset':
      return asset ? assetMatch(asset) : null;
    case 'location':
      return location ? open('core.location', location.id, location.path, `/locations/${location.id}`) : null;
    default:
      return null;
  }
}

/** A plain (not GS1) code that the registry gives to several different records: the core's chooser decides. */
function ambiguous(answer: ScanResult): boolean {
  if (answer.parsed) return false;
  return new Set(answer.matches.map((m) => `${m.target.type}:${m.target.id}`)).size > 1;
}

export async function resolveBarcodeScan(raw: string, ctx: AdminScanContext): Promise<AdminScanAnswer | null> {
  const value = normalizeScan(raw);
  if (!value || value.length > MAX_DATA) return null;
  const answer = await ctx.api.post<ScanResult>(`${BASE}/scan`, { data: value });
  if (ambiguous(answer)) return null;
  const match = scanTarget(answer);
  return match ? { value, matches: [match] } : null;
}

/** Asked before the core's registry (order 10), for users who may read scans. */
export const barcodeScanResolver: AdminScanResolver = {
  permission: P.read,
  order: 10,
  resolve: resolveBarcodeScan,
};
