/**
 * What-if valuation: run a sequence of receipts, issues and returns of one item through a costing
 * method and see the cost of each issue, the value after each move and the layers left.
 * Pure: no I/O. Uses the ledger's own primitives (costing.ts) and rounding policy (money.ts), so
 * a preview agrees with what the perpetual ledger would post.
 *
 * Conventions:
 * - Receipt value = qty × unit cost rounded to the minor unit; an issue that empties a layer (or the
 *   whole stock under an average) takes exactly what is left on it, so nothing drifts.
 * - `issueCosts` are the issues' final costs, including later valuation of uncovered quantities.
 *   `totalCogs` is net of returns: receipts (at their valued amounts) = totalCogs + endingValue.
 * - A return comes back at the unit cost its issue left with and is stocked like a receipt made at
 *   the time of the return (a new layer under FIFO/LIFO; added to the average under averages).
 * - Negative stock (allowNegative): the uncovered quantity is costed when incoming stock arrives —
 *   that receipt first covers the oldest outstanding shortfall and the issue's cost is adjusted.
 *   FIFO, LIFO and moving average cost the uncovered part at 0 until then (as the ledger does);
 *   standard costs it at standard, periodic weighted average at the period's average.
 */
import { D, ZERO, amountText, dec, money, qtyText, type Dec } from './money.js';
import { averageIssueAmount, consumeLayers, type CostLayer } from './costing.js';

export const SIMULATION_METHODS = ['fifo', 'lifo', 'moving-average', 'weighted-average', 'standard'] as const;
export type SimulationMethod = (typeof SIMULATION_METHODS)[number];
export const INVENTORY_SYSTEMS = ['perpetual', 'periodic'] as const;
export type InventorySystem = (typeof INVENTORY_SYSTEMS)[number];

/** Quantities and costs as JS numbers or decimal strings ("0.1"); strings avoid binary floats. */
export type DecimalValue = number | string;

export type SimulatedMove =
  | { type: 'in'; qty: DecimalValue; unitCost: DecimalValue }
  | { type: 'out'; qty: DecimalValue }
  /** Return of (part of) an earlier issue; `of` is that issue's index in `moves`. */
  | { type: 'return'; of: number; qty: DecimalValue };

export interface ValuationInput {
  method: SimulationMethod;
  system: InventorySystem;
  allowNegative?: boolean;
  /** Required by, and only used by, `standard`. */
  standardCost?: DecimalValue;
  /** Decimal places of the currency (default 2). */
  minorUnits?: number;
  moves: readonly SimulatedMove[];
}

export interface ValuationLayer {
  qty: string;
  unitCost: string;
  /** Value left on the layer; equals qty × unit cost up to rounding, and the layers sum to endingValue. */
  value: string;
}

export interface ValuationResult {
  /** One per `out` move, in order. */
  issueCosts: string[];
  totalCogs: string;
  endingQty: string;
  endingValue: string;
  /** One per move. */
  valueAfterEachMove: string[];
  /** Remaining cost layers, oldest first; one layer at the average (or standard) for those methods. */
  layers: ValuationLayer[];
  /** Issued quantity no receipt has covered yet (only with allowNegative). */
  unvaluedQty: string;
  /** Standard cost only: actual receipt amounts − standard amounts (positive = unfavourable). */
  purchasePriceVariance?: string;
}

/** Input the calculator refuses; `moveIndex` is null for problems with the input as a whole. */
export class ValuationInputError extends Error {
  readonly moveIndex: number | null;
  /** The field at fault: a move's property (`qty`, `unitCost`, `of`) or a top-level one (`system`). */
  readonly field: string | null;
  constructor(moveIndex: number | null, message: string, field: string | null = null) {
    super(message);
    this.name = 'ValuationInputError';
    this.moveIndex = moveIndex;
    this.field = field;
  }
}

interface Incoming {
  qty: Dec;
  unitCost: Dec;
  value: Dec;
}

interface Taken {
  /** Cost charged to the issue, provisional part included. */
  amount: Dec;
  uncovered: Dec;
  provisional: Dec;
}

/** Units on the shelf (never negative: shortfalls are kept apart, see `IssueRecord.pendingQty`). */
interface Stock {
  add(at: number, incoming: Incoming): void;
  take(qty: Dec): Taken;
  layers(): { qty: Dec; unitCost: Dec; value: Dec }[];
}

interface Layer extends CostLayer<number> {
  /** Move index that created the layer; orders the layers. */
  at: number;
}

/** FIFO/LIFO layers, kept in consumption order and without empty layers. */
class LayerStock implements Stock {
  private pool: Layer[] = [];
  constructor(
    private readonly lifo: boolean,
    private readonly minorUnits: number,
  ) {}

  add(at: number, { qty, unitCost, value }: Incoming) {
    // Binary search for the layer's place by creation; a perpetual receipt is always the newest.
    let lo = 0;
    let hi = this.pool.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lifo ? this.pool[mid].at > at : this.pool[mid].at < at) lo = mid + 1;
      else hi = mid;
    }
    this.pool.splice(lo, 0, { key: at, at, remainingQty: qty, remainingValue: value, unitCost });
  }

  take(qty: Dec): Taken {
    const { consumptions, amount, unvalued } = consumeLayers(this.pool, qty, this.minorUnits);
    // The pool has no empty layers, so consumption i took from pool[i].
    consumptions.forEach((c, i) => {
      const layer = this.pool[i];
      layer.remainingQty = layer.remainingQty.minus(c.qty);
      layer.remainingValue = layer.remainingValue.minus(c.amount);
    });
    let emptied = 0;
    while (emptied < this.pool.length && this.pool[emptied].remainingQty.lte(0)) emptied++;
    this.pool.splice(0, emptied);
    return { amount, uncovered: unvalued, provisional: ZERO };
  }

  layers() {
    return [...this.pool].sort((a, b) => a.at - b.at).map((l) => ({ qty: l.remainingQty, unitCost: l.unitCost, value: l.remainingValue }));
  }
}

/** One pool at a fixed unit cost: standard cost, or the period's weighted average. */
class FixedCostStock implements Stock {
  private readonly pool: CostLayer<number>;
  constructor(
    unitCost: Dec,
    private readonly minorUnits: number,
  ) {
    this.pool = { key: 0, remainingQty: ZERO, remainingValue: ZERO, unitCost };
  }

  add(_at: number, { qty, value }: Incoming) {
    this.pool.remainingQty = this.pool.remainingQty.plus(qty);
    this.pool.remainingValue = this.pool.remainingValue.plus(value);
  }

  take(qty: Dec): Taken {
    const { amount, unvalued } = consumeLayers([this.pool], qty, this.minorUnits);
    this.pool.remainingQty = D.max(this.pool.remainingQty.minus(qty), ZERO);
    this.pool.remainingValue = this.pool.remainingValue.minus(amount);
    const provisional = money(unvalued.times(this.pool.unitCost), this.minorUnits);
    return { amount: amount.plus(provisional), uncovered: unvalued, provisional };
  }

  layers() {
    return this.pool.remainingQty.gt(0) ? [{ qty: this.pool.remainingQty, unitCost: this.pool.unitCost, value: this.pool.remainingValue }] : [];
  }
}

/** Perpetual moving average: a new average after every receipt, issues at the current average. */
class MovingAverageStock implements Stock {
  private qty = ZERO;
  private value = ZERO;
  private lastUnitCost = ZERO;
  constructor(private readonly minorUnits: number) {}

  add(_at: number, incoming: Incoming) {
    this.qty = this.qty.plus(incoming.qty);
    this.value = this.value.plus(incoming.value);
    this.lastUnitCost = this.value.div(this.qty);
  }

  take(qty: Dec): Taken {
    const amount = averageIssueAmount(this.qty, this.value, qty, this.lastUnitCost, this.minorUnits);
    if (qty.lte(this.qty)) {
      this.qty = this.qty.minus(qty);
      this.value = this.value.minus(amount);
      return { amount, uncovered: ZERO, provisional: ZERO };
    }
    // Beyond the stock: the on-hand part gives up all its value; the rest waits for the next receipt
    // (as the perpetual ledger does), so no value is left on a stock without units.
    const taken = { amount: this.value, uncovered: qty.minus(this.qty), provisional: ZERO };
    this.qty = ZERO;
    this.value = ZERO;
    return taken;
  }

  layers() {
    return this.qty.gt(0) ? [{ qty: this.qty, unitCost: this.value.div(this.qty), value: this.value }] : [];
  }
}

interface IssueRecord {
  index: number;
  qty: Dec;
  /** The issue's cost so far (reported in issueCosts). */
  amount: Dec;
  /** Issued but not yet covered by a receipt, and the provisional cost charged for it. */
  pendingQty: Dec;
  pendingProvisional: Dec;
  /** Returned so far; the `Pending` part came back from the uncovered quantity. */
  returnedQty: Dec;
  returnedAmount: Dec;
  returnedPendingQty: Dec;
  returnedPendingAmount: Dec;
}

type ParsedMove = { type: 'in'; qty: Dec; unitCost: Dec } | { type: 'out'; qty: Dec } | { type: 'return'; of: number; qty: Dec };

function parseDecimal(value: unknown, moveIndex: number | null, field: string, label: string): Dec {
  try {
    return dec(value as DecimalValue);
  } catch {
    throw new ValuationInputError(moveIndex, `${label} is not a decimal number: ${JSON.stringify(value)}`, field);
  }
}

function parseMoves(moves: readonly SimulatedMove[]): ParsedMove[] {
  if (!Array.isArray(moves) || moves.length === 0) throw new ValuationInputError(null, 'moves must list at least one move', 'moves');
  return moves.map((m, i): ParsedMove => {
    const where = `move ${i}`;
    const qty = parseDecimal(m?.qty, i, 'qty', `${where}: qty`);
    if (qty.lte(0)) throw new ValuationInputError(i, `${where}: qty must be greater than 0`, 'qty');
    switch (m.type) {
      case 'in': {
        const unitCost = parseDecimal(m.unitCost, i, 'unitCost', `${where}: unitCost`);
        if (unitCost.lt(0)) throw new ValuationInputError(i, `${where}: unitCost must not be negative`, 'unitCost');
        return { type: 'in', qty, unitCost };
      }
      case 'out':
        return { type: 'out', qty };
      case 'return': {
        const of = m.of;
        if (!Number.isInteger(of) || of < 0 || of >= i || moves[of]?.type !== 'out') {
          throw new ValuationInputError(i, `${where}: "of" must be the index of an earlier out move`, 'of');
        }
        return { type: 'return', of, qty };
      }
      default:
        throw new ValuationInputError(i, `${where}: unknown move type ${JSON.stringify((m as { type?: unknown })?.type)}`, 'type');
    }
  });
}

/** Check the method, system and options; returns the standard cost when the method needs it. */
function checkSetup(input: ValuationInput, minorUnits: number): Dec | null {
  if (!SIMULATION_METHODS.includes(input.method)) throw new ValuationInputError(null, `unknown method ${JSON.stringify(input.method)}`, 'method');
  if (!INVENTORY_SYSTEMS.includes(input.system)) throw new ValuationInputError(null, `unknown system ${JSON.stringify(input.system)}`, 'system');
  if (input.method === 'weighted-average' && input.system === 'perpetual') {
    throw new ValuationInputError(null, 'weighted-average is a periodic method; under the perpetual system use moving-average', 'system');
  }
  if (input.method === 'moving-average' && input.system === 'periodic') {
    throw new ValuationInputError(null, 'moving-average is a perpetual method; under the periodic system use weighted-average', 'system');
  }
  if (!Number.isInteger(minorUnits) || minorUnits < 0 || minorUnits > 10) {
    throw new ValuationInputError(null, 'minorUnits must be a whole number from 0 to 10', 'minorUnits');
  }
  if (input.method !== 'standard') return null;
  if (input.standardCost === undefined || input.standardCost === null) throw new ValuationInputError(null, 'the standard method needs standardCost', 'standardCost');
  const standard = parseDecimal(input.standardCost, null, 'standardCost', 'standardCost');
  if (standard.lt(0)) throw new ValuationInputError(null, 'standardCost must not be negative', 'standardCost');
  return standard;
}

/**
 * Periodic systems assign costs once, at the period end, from everything received in the period:
 * all receipts are on the shelf from the start (FIFO oldest first, LIFO latest first, weighted
 * average one pool at total cost ÷ total units), and each issue takes its share in sequence from
 * that ordering. So periodic LIFO issues the period's latest purchases even when they arrived after
 * the sale, which is where it differs from perpetual LIFO.
 * `valueAfterEachMove` under periodic is the running balance of that assignment: receipts so far −
 * costs assigned to issues so far + returns so far. It ends at endingValue, but mid-period it can be
 * negative under periodic LIFO (an issue costed with a purchase not yet received).
 * Quantities still follow the real sequence: an issue larger than the stock on hand at that moment
 * is refused unless allowNegative. A return is stocked at its place in the sequence, so only later
 * issues can take it.
 */
export function simulateValuation(input: ValuationInput): ValuationResult {
  const minorUnits = input.minorUnits ?? 2;
  const standard = checkSetup(input, minorUnits);
  const moves = parseMoves(input.moves);
  // Standard cost values every move at standard, so the periodic and perpetual results are the same.
  const periodic = input.system === 'periodic' && !standard;
  const receiptValue = (m: { qty: Dec; unitCost: Dec }) => money(m.qty.times(m.unitCost), minorUnits);

  let stock: Stock;
  if (input.method === 'fifo' || input.method === 'lifo') stock = new LayerStock(input.method === 'lifo', minorUnits);
  else if (input.method === 'moving-average') stock = new MovingAverageStock(minorUnits);
  else if (standard) stock = new FixedCostStock(standard, minorUnits);
  else {
    let qty = ZERO;
    let value = ZERO;
    for (const m of moves) {
      if (m.type !== 'in') continue;
      qty = qty.plus(m.qty);
      value = value.plus(receiptValue(m));
    }
    stock = new FixedCostStock(qty.gt(0) ? value.div(qty) : ZERO, minorUnits);
  }
  if (periodic) moves.forEach((m, i) => m.type === 'in' && stock.add(i, { qty: m.qty, unitCost: m.unitCost, value: receiptValue(m) }));

  const issues = new Map<number, IssueRecord>();
  /** Issues with an uncovered quantity, oldest first: incoming stock covers them in that order. */
  const shortfalls: IssueRecord[] = [];
  let onHand = ZERO;
  let value = ZERO;
  let returnedTotal = ZERO;
  let ppv = ZERO;
  const valueAfterEachMove: string[] = [];

  /** Incoming stock first values outstanding shortfalls, then goes on the shelf. */
  const receive = (at: number, incoming: Incoming) => {
    const layer: CostLayer<number> = { key: at, remainingQty: incoming.qty, remainingValue: incoming.value, unitCost: incoming.unitCost };
    while (shortfalls.length && layer.remainingQty.gt(0)) {
      const issue = shortfalls[0];
      const { consumptions, amount } = consumeLayers([layer], issue.pendingQty, minorUnits);
      const qty = consumptions[0].qty;
      const provisional = qty.eq(issue.pendingQty) ? issue.pendingProvisional : money(issue.pendingProvisional.times(qty).div(issue.pendingQty), minorUnits);
      issue.amount = issue.amount.plus(amount).minus(provisional);
      issue.pendingQty = issue.pendingQty.minus(qty);
      issue.pendingProvisional = issue.pendingProvisional.minus(provisional);
      value = value.minus(amount.minus(provisional));
      layer.remainingQty = layer.remainingQty.minus(qty);
      layer.remainingValue = layer.remainingValue.minus(amount);
      if (issue.pendingQty.lte(0)) shortfalls.shift();
    }
    if (layer.remainingQty.gt(0)) stock.add(at, { qty: layer.remainingQty, unitCost: incoming.unitCost, value: layer.remainingValue });
  };

  moves.forEach((m, i) => {
    if (m.type === 'in') {
      const actual = receiptValue(m);
      const valued = standard ? money(m.qty.times(standard), minorUnits) : actual;
      if (standard) ppv = ppv.plus(actual.minus(valued));
      onHand = onHand.plus(m.qty);
      value = value.plus(valued);
      if (!periodic) receive(i, { qty: m.qty, unitCost: standard ?? m.unitCost, value: valued });
    } else if (m.type === 'out') {
      if (!input.allowNegative && m.qty.gt(onHand)) {
        const available = D.max(onHand, ZERO);
        throw new ValuationInputError(
          i,
          `move ${i} issues ${qtyText(m.qty)} but only ${qtyText(available)} ${available.eq(1) ? 'is' : 'are'} in stock (short by ${qtyText(m.qty.minus(available))})`,
          'qty',
        );
      }
      const taken = stock.take(m.qty);
      const issue: IssueRecord = {
        index: i,
        qty: m.qty,
        amount: taken.amount,
        pendingQty: taken.uncovered,
        pendingProvisional: taken.provisional,
        returnedQty: ZERO,
        returnedAmount: ZERO,
        returnedPendingQty: ZERO,
        returnedPendingAmount: ZERO,
      };
      issues.set(i, issue);
      if (taken.uncovered.gt(0)) shortfalls.push(issue);
      onHand = onHand.minus(m.qty);
      value = value.minus(taken.amount);
    } else {
      const issue = issues.get(m.of)!;
      const unreturned = issue.qty.minus(issue.returnedQty);
      if (m.qty.gt(unreturned)) {
        throw new ValuationInputError(i, `move ${i} returns ${qtyText(m.qty)} of move ${m.of}, but only ${qtyText(unreturned)} of it is not yet returned`, 'qty');
      }
      // Units the issue never had a real cost for come back first, at their provisional cost.
      const fromPending = D.min(m.qty, issue.pendingQty);
      let amount = ZERO;
      if (fromPending.gt(0)) {
        amount = fromPending.eq(issue.pendingQty) ? issue.pendingProvisional : money(issue.pendingProvisional.times(fromPending).div(issue.pendingQty), minorUnits);
        issue.pendingQty = issue.pendingQty.minus(fromPending);
        issue.pendingProvisional = issue.pendingProvisional.minus(amount);
        issue.returnedPendingQty = issue.returnedPendingQty.plus(fromPending);
        issue.returnedPendingAmount = issue.returnedPendingAmount.plus(amount);
        if (issue.pendingQty.lte(0)) shortfalls.splice(shortfalls.indexOf(issue), 1);
      }
      const rest = m.qty.minus(fromPending);
      if (rest.gt(0)) {
        // The rest at the unit cost the issue's costed part left with; the last of it takes what is left.
        const costedQty = issue.qty.minus(issue.pendingQty).minus(issue.returnedPendingQty);
        const costedAmount = issue.amount.minus(issue.pendingProvisional).minus(issue.returnedPendingAmount);
        const leftQty = costedQty.minus(issue.returnedQty.minus(issue.returnedPendingQty));
        const leftAmount = costedAmount.minus(issue.returnedAmount.minus(issue.returnedPendingAmount));
        const unitCost = costedAmount.div(costedQty);
        const restAmount = rest.eq(leftQty) ? leftAmount : money(rest.times(unitCost), minorUnits);
        receive(i, { qty: rest, unitCost, value: restAmount });
        amount = amount.plus(restAmount);
      }
      issue.returnedQty = issue.returnedQty.plus(m.qty);
      issue.returnedAmount = issue.returnedAmount.plus(amount);
      returnedTotal = returnedTotal.plus(amount);
      onHand = onHand.plus(m.qty);
      value = value.plus(amount);
    }
    valueAfterEachMove.push(amountText(value, minorUnits));
  });

  const issueList = [...issues.values()];
  const totalIssued = issueList.reduce<Dec>((a, r) => a.plus(r.amount), ZERO);
  const result: ValuationResult = {
    issueCosts: issueList.map((r) => amountText(r.amount, minorUnits)),
    totalCogs: amountText(totalIssued.minus(returnedTotal), minorUnits),
    endingQty: qtyText(onHand),
    endingValue: amountText(value, minorUnits),
    valueAfterEachMove,
    layers: stock.layers().map((l) => ({ qty: qtyText(l.qty), unitCost: qtyText(l.unitCost), value: amountText(l.value, minorUnits) })),
    unvaluedQty: qtyText(shortfalls.reduce<Dec>((a, r) => a.plus(r.pendingQty), ZERO)),
  };
  if (standard) result.purchasePriceVariance = amountText(ppv, minorUnits);
  return result;
}
