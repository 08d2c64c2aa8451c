import { isoOf } from '../services/time.js';
import { hasPermission, Type, problems, type PluginApp, type PluginContext, type Actor, type Transaction } from '@quartermaster/sdk';
import { execute } from '@quartermaster/core';
import { MOVE_TYPES, permissions, type MoveType } from '../../shared/index.js';
import { dec, qtyText } from '../../domain/money.js';
import { postMove, type InventoryOptions, type MoveInput, type PostedMove } from '../services/ledger.service.js';
import { DecimalIn, DecimalOut, IdParams, Nullable, Page, PageQuery, Uuid, errorResponses, pageOf } from './schemas.js';

const MoveTypeSchema = Type.Union(MOVE_TYPES.map((t) => Type.Literal(t)));

const MoveLineIn = Type.Object(
  {
    itemId: Uuid,
    qty: DecimalIn,
    uom: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    fromLocationId: Type.Optional(Uuid),
    toLocationId: Type.Optional(Uuid),
    lot: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    expiresOn: Type.Optional(Type.String({ format: 'date' })),
    manufacturedOn: Type.Optional(Type.String({ format: 'date' })),
    serials: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 10_000 })),
    unitCost: Type.Optional(DecimalIn),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    returnOfLineId: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
    reservationId: Type.Optional(Uuid),
    allowExpired: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const MoveBody = Type.Object(
  {
    type: MoveTypeSchema,
    reference: Type.Optional(Type.String({ maxLength: 200 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    effectiveAt: Type.Optional(Type.String({ format: 'date-time' })),
    lines: Type.Array(MoveLineIn, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);

const MoveLineOut = Type.Object({
  id: Type.String(),
  lineNo: Type.Integer(),
  itemId: Uuid,
  itemName: Type.String(),
  fromLocationId: Nullable(Uuid),
  fromLocation: Nullable(Type.String()),
  toLocationId: Nullable(Uuid),
  toLocation: Nullable(Type.String()),
  lotId: Nullable(Uuid),
  lot: Nullable(Type.String()),
  serialId: Nullable(Uuid),
  serial: Nullable(Type.String()),
  qty: DecimalOut,
  uom: Type.String(),
  uomQty: DecimalOut,
  baseUom: Type.String(),
  /** Present to callers who may see costs. */
  unitCost: Type.Optional(Nullable(DecimalOut)),
  amount: Type.Optional(Nullable(DecimalOut)),
  reason: Nullable(Type.String()),
  returnOfLineId: Nullable(Type.String()),
  reversesLineId: Nullable(Type.String()),
  reservationId: Nullable(Uuid),
});

export const MoveOut = Type.Object({
  id: Uuid,
  number: Type.String(),
  type: Type.String(),
  reference: Nullable(Type.String()),
  note: Nullable(Type.String()),
  effectiveAt: Type.String(),
  postedAt: Type.String(),
  postedBy: Type.String(),
  reversesMoveId: Nullable(Uuid),
  reversedByMoveId: Nullable(Uuid),
  backDated: Type.Optional(Type.Boolean()),
  lines: Type.Array(MoveLineOut),
});

const MoveSummary = Type.Object({
  id: Uuid,
  number: Type.String(),
  type: Type.String(),
  reference: Nullable(Type.String()),
  effectiveAt: Type.String(),
  postedAt: Type.String(),
  postedBy: Type.String(),
  lineCount: Type.Integer(),
  totalQty: DecimalOut,
  items: Type.Array(Type.String()),
  reversesMoveId: Nullable(Uuid),
  reversedByMoveId: Nullable(Uuid),
});

export const MoveListQuery = Type.Object(
  {
    type: Type.Optional(MoveTypeSchema),
    itemId: Type.Optional(Uuid),
    locationId: Type.Optional(Uuid),
    lotId: Type.Optional(Uuid),
    serial: Type.Optional(Type.String({ minLength: 1 })),
    reference: Type.Optional(Type.String({ minLength: 1 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const canSeeCost = (actor: Actor) => hasPermission(actor, permissions.valuationRead);

export async function loadMove(db: Pick<Transaction, 'execute'>, id: string, actor: Actor, minorUnits: number) {
  // The move, whether it was reversed, and its lines with names, in one statement.
  const [m] = await db.execute<PostedMove>(
    `SELECT m.*, (SELECT r.id FROM inventory_move r WHERE r.reverses_move_id = m.id) AS reversed_by,
            (SELECT coalesce(json_agg(x ORDER BY x.line_no), '[]') FROM (
               SELECT ml.id::text AS id, ml.line_no, ml.item_id, ml.from_location_id, ml.to_location_id, ml.lot_id, ml.serial_id, ml.qty::text AS qty, ml.uom,
                      ml.uom_qty::text AS uom_qty, ml.unit_cost::text AS unit_cost, ml.amount::text AS amount, ml.reason, ml.return_of_line_id::text AS return_of_line_id,
                      ml.reverses_line_id::text AS reverses_line_id, ml.reservation_id,
                      i.name AS item_name, i.unit_of_measure AS base_uom, fl.name AS from_name, tl.name AS to_name, l.code AS lot_code, s.serial AS serial
                 FROM inventory_move_line ml JOIN core_item i ON i.id = ml.item_id
                 LEFT JOIN core_location fl ON fl.id = ml.from_location_id LEFT JOIN core_location tl ON tl.id = ml.to_location_id
                 LEFT JOIN inventory_lot l ON l.id = ml.lot_id LEFT JOIN inventory_serial s ON s.id = ml.serial_id
                WHERE ml.move_id = m.id) x) AS lines
       FROM inventory_move m WHERE m.id = $1`,
    [id],
  );
  return m ? moveOut(m, actor, minorUnits) : null;
}

/** A move as the API shows it: from loadMove's row, or from what posting it answered (the same columns). */
export function moveOut(m: PostedMove, actor: Actor, minorUnits: number) {
  const lines = m.lines;
  const costs = canSeeCost(actor);
  return {
    id: m.id,
    number: String(m.number),
    type: m.type,
    reference: m.reference,
    note: m.note,
    effectiveAt: isoOf(m.effective_at)!,
    postedAt: isoOf(m.posted_at)!,
    postedBy: m.posted_by_label,
    reversesMoveId: m.reverses_move_id,
    reversedByMoveId: m.reversed_by,
    lines: lines.map((l) => ({
      id: String(l.id),
      lineNo: l.line_no,
      itemId: l.item_id,
      itemName: l.item_name,
      fromLocationId: l.from_location_id,
      fromLocation: l.from_name,
      toLocationId: l.to_location_id,
      toLocation: l.to_name,
      lotId: l.lot_id,
      lot: l.lot_code,
      serialId: l.serial_id,
      serial: l.serial,
      qty: qtyText(l.qty),
      uom: l.uom,
      uomQty: qtyText(l.uom_qty),
      baseUom: l.base_uom,
      ...(costs ? { unitCost: l.unit_cost === null ? null : qtyText(l.unit_cost), amount: l.amount === null ? null : dec(l.amount).toFixed(minorUnits) } : {}),
      reason: l.reason,
      returnOfLineId: l.return_of_line_id === null ? null : String(l.return_of_line_id),
      reversesLineId: l.reverses_line_id === null ? null : String(l.reverses_line_id),
      reservationId: l.reservation_id,
    })),
  };
}

export function moveRoutes(app: PluginApp, ctx: PluginContext<any>, options: InventoryOptions) {
  const read = { execute: (sql: string, params?: unknown[]) => execute<any>(ctx.orm.em.fork(), sql, params ?? []) };

  app.post(
    '/moves',
    {
      config: { permission: permissions.movesPost },
      schema: { summary: 'Post a stock move', body: MoveBody, response: { 201: MoveOut, ...errorResponses } },
    },
    async (req, reply) => {
      const move = await ctx.transaction(req.actor, async (tx) => {
        const posted = await postMove(tx, req.body as MoveInput, options);
        // Answered from what posting wrote (one statement fewer), else read back.
        const out = posted.view ? moveOut(posted.view, req.actor, options.currencyMinorUnits) : (await loadMove(tx, posted.id, req.actor, options.currencyMinorUnits))!;
        return { ...out, backDated: posted.backDated };
      });
      return reply.status(201).send(move);
    },
  );

  app.get(
    '/moves',
    { config: { permission: permissions.stockRead }, schema: { summary: 'Movement history', querystring: MoveListQuery, response: { 200: Page(MoveSummary), ...errorResponses } } },
    async (req) => {
      const q = req.query;
      const { limit, offset } = pageOf(q);
      const where: string[] = [];
      const params: unknown[] = [];
      const p = (v: unknown) => {
        params.push(v);
        return `$${params.length}`;
      };
      if (q.type) where.push(`m.type = ${p(q.type)}`);
      if (q.reference) where.push(`m.reference = ${p(q.reference)}`);
      if (q.from) where.push(`m.effective_at >= ${p(q.from)}`);
      if (q.to) where.push(`m.effective_at < ${p(q.to)}`);
      const lineFilters: string[] = [];
      if (q.itemId) lineFilters.push(`ml.item_id = ${p(q.itemId)}`);
      if (q.lotId) lineFilters.push(`ml.lot_id = ${p(q.lotId)}`);
      if (q.serial) lineFilters.push(`ml.serial_id IN (SELECT id FROM inventory_serial WHERE serial = ${p(q.serial)})`);
      let sub = '';
      if (q.locationId) {
        // A location means it and everything under it.
        sub = `WITH RECURSIVE sub AS (SELECT id FROM core_location WHERE id = ${p(q.locationId)} UNION ALL SELECT c.id FROM core_location c JOIN sub ON c.parent_id = sub.id) `;
        lineFilters.push(`(ml.from_location_id IN (SELECT id FROM sub) OR ml.to_location_id IN (SELECT id FROM sub))`);
      }
      if (lineFilters.length) where.push(`EXISTS (SELECT 1 FROM inventory_move_line ml WHERE ml.move_id = m.id AND ${lineFilters.join(' AND ')})`);
      const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const rows = await read.execute(
        `${sub}SELECT m.id, m.number, m.type, m.reference, m.effective_at, m.posted_at, m.posted_by_label, m.reverses_move_id,
                (SELECT r.id FROM inventory_move r WHERE r.reverses_move_id = m.id) AS reversed_by,
                (SELECT count(*) FROM inventory_move_line x WHERE x.move_id = m.id) AS line_count,
                (SELECT sum(x.qty) FROM inventory_move_line x WHERE x.move_id = m.id) AS total_qty,
                (SELECT array_agg(DISTINCT i.name) FROM inventory_move_line x JOIN core_item i ON i.id = x.item_id WHERE x.move_id = m.id) AS items,
                count(*) OVER () AS total
           FROM inventory_move m ${whereSql}
          ORDER BY m.effective_at DESC, m.number DESC LIMIT ${p(limit)} OFFSET ${p(offset)}`,
        params,
      );
      return {
        data: rows.map((m) => ({
          id: m.id,
          number: String(m.number),
          type: m.type,
          reference: m.reference,
          effectiveAt: isoOf(m.effective_at)!,
          postedAt: isoOf(m.posted_at)!,
          postedBy: m.posted_by_label,
          lineCount: Number(m.line_count),
          totalQty: qtyText(m.total_qty),
          items: m.items ?? [],
          reversesMoveId: m.reverses_move_id,
          reversedByMoveId: m.reversed_by,
        })),
        total: rows.length ? Number(rows[0].total) : 0,
        limit,
        offset,
      };
    },
  );

  app.get(
    '/moves/:id',
    { config: { permission: permissions.stockRead }, schema: { summary: 'One move with its lines', params: IdParams, response: { 200: MoveOut, ...errorResponses } } },
    async (req) => {
      const move = await loadMove(read, req.params.id, req.actor, options.currencyMinorUnits);
      if (!move) throw problems.notFound('move', req.params.id);
      return move;
    },
  );

  app.post(
    '/moves/:id/reverse',
    {
      config: { permission: permissions.movesReverse },
      schema: {
        summary: 'Reverse a posted move',
        description: 'Posts the opposite move at the original costs, dated like the original unless `effectiveAt` says otherwise. A move is reversed at most once.',
        params: IdParams,
        body: Type.Object({ effectiveAt: Type.Optional(Type.String({ format: 'date-time' })), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: { 201: MoveOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const body = req.body ?? {};
      const move = await ctx.transaction(req.actor, async (tx) => {
        const [orig] = await tx.execute<{ id: string; number: string; type: MoveType; reference: string | null; effective_at: Date; reverses_move_id: string | null }>(
          `SELECT id, number, type, reference, effective_at, reverses_move_id FROM inventory_move WHERE id = $1 FOR UPDATE`,
          [req.params.id],
        );
        if (!orig) throw problems.notFound('move', req.params.id);
        const [already] = await tx.execute<{ id: string; number: string }>(`SELECT id, number FROM inventory_move WHERE reverses_move_id = $1`, [orig.id]);
        if (already) throw problems.conflict('inventory/move-already-reversed', 'Move already reversed', `Move ${orig.number} was reversed by move ${already.number}`, { reversedByMoveId: already.id });
        if (orig.reverses_move_id) throw problems.conflict('inventory/reversal-not-reversible', 'A reversal cannot be reversed', `Move ${orig.number} is itself a reversal; post the move again instead`);
        const lines = await tx.execute<{ id: string; item_id: string; from_location_id: string | null; to_location_id: string | null; lot_id: string | null; serial_id: string | null; qty: string; amount: string | null; reason: string | null; serial: string | null; lot: string | null }>(
          `SELECT ml.id, ml.item_id, ml.from_location_id, ml.to_location_id, ml.lot_id, ml.serial_id, ml.qty, ml.amount, ml.reason, s.serial, l.code AS lot
             FROM inventory_move_line ml LEFT JOIN inventory_serial s ON s.id = ml.serial_id LEFT JOIN inventory_lot l ON l.id = ml.lot_id
            WHERE ml.move_id = $1 ORDER BY ml.line_no`,
          [orig.id],
        );
        const reversesLine = new Map<number, { lineId: string; unitCost?: ReturnType<typeof dec>; lotId: string | null; serialId: string | null }>();
        const input: MoveInput = {
          type: orig.type,
          reference: orig.reference ?? undefined,
          note: body.note ?? `Reversal of move ${orig.number}`,
          effectiveAt: body.effectiveAt ?? isoOf(orig.effective_at)!,
          lines: lines.map((l, i) => {
            reversesLine.set(i, { lineId: String(l.id), unitCost: l.amount === null ? undefined : dec(l.amount).div(dec(l.qty)), lotId: l.lot_id, serialId: l.serial_id });
            return {
              itemId: l.item_id,
              qty: l.qty,
              fromLocationId: l.to_location_id ?? undefined,
              toLocationId: l.from_location_id ?? undefined,
              ...(l.serial ? { serials: [l.serial] } : {}),
              ...(l.lot ? { lot: l.lot } : {}),
              reason: l.reason ?? undefined,
              allowExpired: true,
            };
          }),
        };
        const posted = await postMove(tx, input, options, { reversesMoveId: orig.id, reversesLine });
        return posted.view ? moveOut(posted.view, req.actor, options.currencyMinorUnits) : loadMove(tx, posted.id, req.actor, options.currencyMinorUnits);
      });
      return reply.status(201).send(move!);
    },
  );
}

