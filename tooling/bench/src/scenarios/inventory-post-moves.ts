/**
 * inventory-post-moves: concurrent clients posting one-line stock moves — receipts, issues and
 * transfers over BENCH_INVENTORY_POST_ITEMS (default 1,000) items × BENCH_INVENTORY_LOCATIONS
 * (default 20) locations — through the platform's real HTTP stack, against a raw Fastify + pg
 * baseline that posts the same moves with hand-written SQL in one transaction over its own pool of
 * BENCH_INVENTORY_POOL (default 32) connections. Run it at the brief's 32 clients with
 * `BENCH_CONCURRENCY=32` (the harness's concurrency is global; default 8).
 *
 * Baseline work (BENCH_INVENTORY_BASELINE):
 * - `full` (default): the same ledger rows the platform must write for a move — move, line, balance
 *   upsert(s) with row locks and the no-negative-stock check, the FIFO cost ledger (item state locked,
 *   entry, layer or consumption, running totals; COGS on every issue is part of the inventory ledger),
 *   the audit row and the outbox event (every mutation carries both) — minus the read-back of the
 *   posted move, reorder/stock-out checks and the item/location/unit lookups. This is the hand-written
 *   transaction doing the same ledger insert and balance update, so the ratio is the framework's cost.
 * - `ledger`: only move + line + balance upsert(s), skipping the cost ledger, audit and outbox. Work the
 *   platform cannot skip is then counted against it; kept as the stricter floor.
 * Each item × location starts with 1,000 on hand (seeded in SQL), so issues and transfers of 1 never
 * run short.
 */
import pg from 'pg';
import { check, defineScenario, type IterationContext } from '../scenario.js';
import { clientFor, closeWithBaseline, envInt, inventoryUrl, itemIdOf, locationIdOf, OPENING_ITEM, rawMoveRoute, rng, seedOpeningStock } from './inventory-stock-on-hand.js';

const NAME = 'inventory-post-moves';

interface State {
  url: string;
  items: number;
  locations: number;
  expectAmounts: boolean;
}

interface Posted {
  id: string;
  number: string;
  type: string;
  lines: { itemId: string; fromLocationId: string | null; toLocationId: string | null; qty: string; amount?: string | null }[];
}

const baselineMode = () => {
  const v = process.env.BENCH_INVENTORY_BASELINE ?? 'full';
  if (v !== 'ledger' && v !== 'full') throw new Error(`BENCH_INVENTORY_BASELINE must be "ledger" or "full", got "${v}"`);
  return v;
};

/** The i-th move: 40% receipts, 40% issues, 20% transfers, one line of 1 unit; the same sequence on both targets. */
function moveFor(i: number, s: State, runId: string) {
  const r = rng(0x9e3779b1 ^ i);
  const item = Math.floor(r() * s.items);
  const kind = r();
  const from = Math.floor(r() * s.locations);
  const to = (from + 1 + Math.floor(r() * (s.locations - 1))) % s.locations;
  const itemId = itemIdOf(OPENING_ITEM, item);
  const reference = `bench-${runId}-${i}`;
  if (kind < 0.4) return { type: 'receipt' as const, reference, lines: [{ itemId, qty: '1', toLocationId: locationIdOf(to), unitCost: (2 + (i % 8) * 0.25).toFixed(2) }] };
  if (kind < 0.8) return { type: 'issue' as const, reference, lines: [{ itemId, qty: '1', fromLocationId: locationIdOf(from) }] };
  return { type: 'transfer' as const, reference, lines: [{ itemId, qty: '1', fromLocationId: locationIdOf(from), toLocationId: locationIdOf(to) }] };
}

async function iteration(i: number, { target, state, runId }: IterationContext<State>) {
  const http = clientFor(state.url, target.token);
  const body = moveFor(i, state, runId);
  const res = await http.post<Posted>('/api/inventory/moves', body);
  check(res.status === 201, `POST /api/inventory/moves (${body.type}) answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  const line = res.body.lines?.[0];
  check(res.body.type === body.type && line?.itemId === body.lines[0].itemId && Number(line.qty) === 1, 'the posted move carries its line');
  if (body.type === 'issue' && (target.kind === 'platform' || state.expectAmounts)) check(line.amount != null && Number(line.amount) > 0, `issue valued (amount ${line.amount})`);
}

export default defineScenario<State>({
  name: NAME,
  description: `POST /api/inventory/moves: one-line receipts 40% / issues 40% / transfers 20%, random item × location (baseline: ${baselineMode() === 'full' ? 'hand-written SQL, same rows as the platform' : 'move + line + balance upsert only, no cost ledger/audit/outbox'})`,
  requestsPerIteration: 1,

  async setup(target) {
    const items = envInt('BENCH_INVENTORY_POST_ITEMS', 1_000, 1);
    const locations = envInt('BENCH_INVENTORY_LOCATIONS', 20, 2);
    const url = await inventoryUrl(target);
    await seedOpeningStock(target.databaseUrl, { items, locations, qty: 1000 }, (s) => console.log(`  [${NAME}] ${target.kind}: ${s}`));
    const concurrency = envInt('BENCH_CONCURRENCY', 8);
    if (target.kind === 'platform') {
      console.log(
        `  [${NAME}] ${concurrency} concurrent clients${concurrency === 32 ? '' : ' (the brief asks for 32: BENCH_CONCURRENCY=32)'}; ` +
          `platform ORM pool 10 connections, baseline pool ${envInt('BENCH_INVENTORY_POOL', 32)}; baseline mode "${baselineMode()}"`,
      );
    }
    return { url, items, locations, expectAmounts: baselineMode() === 'full' };
  },

  baselineRoutes(app, { pool }) {
    closeWithBaseline(app);
    // The brief's baseline runs over its own pool (default 32 connections), not the harness's 10.
    const own = new pg.Pool({ connectionString: (pool as unknown as { options: { connectionString: string } }).options.connectionString, max: envInt('BENCH_INVENTORY_POOL', 32) });
    own.on('error', () => undefined);
    app.addHook('onClose', async () => own.end());
    const full = baselineMode() === 'full';
    rawMoveRoute(app, own, { valuation: full, audit: full });
  },

  platform: iteration,
  baseline: iteration,
});
