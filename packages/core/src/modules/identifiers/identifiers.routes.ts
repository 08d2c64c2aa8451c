import { Type } from '@sinclair/typebox';
import { problems, type PluginApp, type PluginContext, type Transaction } from '@quartermaster/sdk';
import { IdParams, Page, PageQuery, Uuid, ancestry, errorResponses, iso, likePattern, pageOf, reader } from '../common.js';
import { IdentifierAssigned, IdentifierRemoved } from '../../events.js';
import {
  IDENTIFIER_TYPES,
  identifierParsers,
  identifierTargets,
  type IdentifierInterpretation,
  type IdentifierService,
  type ResolvedIdentifier,
} from '../../extension-points.js';

const IdentifierType = Type.Union(IDENTIFIER_TYPES.map((t) => Type.Literal(t)));
const TargetType = Type.String({ pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$', description: 'core.item, core.location, or <plugin>.<thing>' });

export const IdentifierSchema = Type.Object({
  id: Uuid,
  type: IdentifierType,
  value: Type.String(),
  targetType: Type.String(),
  targetId: Uuid,
  targetLabel: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

const Interpretation = Type.Object({ type: Type.String(), value: Type.String(), data: Type.Optional(Type.Object({}, { additionalProperties: true })) });
const ResolveResult = Type.Object({
  value: Type.String(),
  matches: Type.Array(
    Type.Object({
      identifier: Type.Object({ id: Uuid, type: Type.String(), value: Type.String() }),
      target: Type.Object({ type: Type.String(), id: Uuid, label: Type.String(), href: Type.String() }),
    }),
  ),
  interpretations: Type.Array(Interpretation),
});

/** Normalise what people type or scanners send: trim, and drop whitespace inside GTINs and EPCs. */
export function normaliseValue(type: string, value: string): string {
  const v = value.trim();
  if (type === 'gtin') return v.replace(/\s+/g, '');
  if (type === 'epc') return v.replace(/\s+/g, '').toUpperCase();
  return v;
}

/** GS1 mod-10 check digit over every digit but the last. */
export function gtinCheckDigitOk(gtin: string): boolean {
  const digits = [...gtin].map(Number);
  const check = digits.pop()!;
  const sum = digits.reverse().reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

/** Normalise a value and refuse what cannot be an identifier of its type; `field` names it in the problem. */
export function checkIdentifierValue(type: string, raw: string, field = 'value'): string {
  const value = normaliseValue(type, raw);
  if (!value) throw problems.validation([{ field, message: 'must not be blank' }]);
  if (type === 'gtin') {
    if (!/^\d{8}$|^\d{12,14}$/.test(value)) throw problems.validation([{ field, message: 'a GTIN has 8, 12, 13 or 14 digits' }]);
    if (!gtinCheckDigitOk(value)) throw problems.validation([{ field, message: 'the GTIN check digit is wrong' }]);
  }
  return value;
}

export function createIdentifierService(ctx: PluginContext): IdentifierService & {
  describeTargets(targets: { type: string; id: string }[]): Promise<Map<string, { label: string; href: string }>>;
} {
  const db = reader(ctx);
  const resolvers = () => new Map(ctx.extensions(identifierTargets).map((r) => [r.targetType, r]));
  async function describeTargets(targets: { type: string; id: string }[]) {
    const out = new Map<string, { label: string; href: string }>();
    const byType = new Map<string, string[]>();
    for (const t of targets) byType.set(t.type, [...(byType.get(t.type) ?? []), t.id]);
    for (const [type, ids] of byType) {
      if (type === 'core.item') {
        const rows = await db.execute<{ id: string; name: string }>(`SELECT id, name FROM core_item WHERE id = ANY($1::uuid[])`, [ids]);
        for (const r of rows) out.set(`${type}:${r.id}`, { label: r.name, href: `/items/${r.id}` });
      } else if (type === 'core.location') {
        const rows = await db.execute<{ id: string; path: string }>(`SELECT id, path FROM ${ancestry('core_location', '$1')} a`, [ids]);
        for (const r of rows) out.set(`${type}:${r.id}`, { label: r.path, href: `/locations/${r.id}` });
      } else {
        const resolver = resolvers().get(type);
        if (!resolver) continue;
        for (const [id, d] of await resolver.describe(ids)) out.set(`${type}:${id}`, d);
      }
    }
    return out;
  }
  const service = {
    describeTargets,
    async assign(tx: Transaction, ident: { type: string; value: string; targetType: string; targetId: string }) {
      return ctx.joinTransaction(tx, (own) => assignIdentifier(own, service, ident));
    },
    async resolve(raw: string) {
      const value = raw.trim();
      const interpretations: IdentifierInterpretation[] = [];
      for (const parser of ctx.extensions(identifierParsers)) {
        try {
          interpretations.push(...parser.parse(value));
        } catch (err) {
          ctx.log.warn({ err, parser: parser.id }, 'identifier parser failed');
        }
      }
      // Also look the value up as it would have been stored (a GTIN typed with spaces, an EPC in lower case).
      const lookups = [...interpretations, { type: 'gtin', value }, { type: 'epc', value }];
      const rows = await db.execute<{ id: string; type: string; value: string; target_type: string; target_id: string }>(
        `SELECT id, type, value, target_type, target_id FROM core_identifier
          WHERE value = $1 OR (type, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))
          ORDER BY type, value`,
        [value, lookups.map((i) => i.type), lookups.map((i) => normaliseValue(i.type, i.value))],
      );
      const described = await describeTargets(rows.map((r) => ({ type: r.target_type, id: r.target_id })));
      const matches: ResolvedIdentifier[] = [];
      for (const r of rows) {
        const d = described.get(`${r.target_type}:${r.target_id}`);
        if (!d) continue; // target gone or its plugin disabled
        matches.push({ identifier: { id: r.id, type: r.type, value: r.value }, target: { type: r.target_type, id: r.target_id, ...d } });
      }
      return { value, matches, interpretations };
    },
  };
  return service;
}

/**
 * Insert an identifier, or answer 409 identifier-taken when its type and value are in use, also when
 * a concurrent transaction took them a moment ago (the unique index decides, not the look-up).
 */
export async function insertIdentifier(
  tx: Pick<Transaction, 'execute'>,
  ident: { type: string; value: string; targetType: string; targetId: string },
  field = 'value',
): Promise<{ id: string; created_at: Date }> {
  const [row] = await tx.execute<{ id: string; created_at: Date }>(
    `INSERT INTO core_identifier (type, value, target_type, target_id) VALUES ($1, $2, $3, $4) ON CONFLICT (type, value) DO NOTHING RETURNING id, created_at`,
    [ident.type, ident.value, ident.targetType, ident.targetId],
  );
  if (row) return row;
  const [taken] = await tx.execute<{ target_type: string; target_id: string }>(`SELECT target_type, target_id FROM core_identifier WHERE type = $1 AND value = $2`, [ident.type, ident.value]);
  throw problems.conflict('identifier-taken', 'Identifier already in use', `${ident.type} "${ident.value}" already points to ${taken?.target_type} ${taken?.target_id}`, {
    field,
    identifierType: ident.type,
    value: ident.value,
  });
}

/** Attach an identifier inside `tx`: value checked, target must exist, audit record and event with it. */
export async function assignIdentifier(
  tx: Transaction,
  service: ReturnType<typeof createIdentifierService>,
  b: { type: string; value: string; targetType: string; targetId: string },
): Promise<{ id: string; type: string; value: string; targetType: string; targetId: string; createdAt: string }> {
  const value = checkIdentifierValue(b.type, b.value);
  if (!(await targetExists(tx, service, b.targetType, b.targetId))) {
    throw problems.validation([{ field: 'targetId', message: `no ${b.targetType} with this id` }]);
  }
  const row = await insertIdentifier(tx, { type: b.type, value, targetType: b.targetType, targetId: b.targetId });
  const ident = { id: row.id, type: b.type, value, targetType: b.targetType, targetId: b.targetId };
  await tx.audit({ action: 'created', entityType: 'core.identifier', entityId: row.id, after: ident });
  await tx.emit(IdentifierAssigned, ident);
  return { ...ident, createdAt: iso(row.created_at)! };
}

async function targetExists(tx: Pick<Transaction, 'execute'>, service: ReturnType<typeof createIdentifierService>, type: string, id: string) {
  if (type === 'core.item') return (await tx.execute(`SELECT 1 FROM core_item WHERE id = $1 FOR SHARE`, [id])).length > 0;
  if (type === 'core.location') return (await tx.execute(`SELECT 1 FROM core_location WHERE id = $1 FOR SHARE`, [id])).length > 0;
  return (await service.describeTargets([{ type, id }])).size > 0;
}

export async function identifierRoutes(app: PluginApp, ctx: PluginContext, service: ReturnType<typeof createIdentifierService>) {
  app.get('/identifiers/resolve', {
    config: { permission: 'core.identifiers.read' },
    schema: {
      summary: 'What does a scanned or typed value point to?',
      querystring: Type.Object({ value: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
      response: { 200: ResolveResult, ...errorResponses },
    },
  }, async (req) => service.resolve(req.query.value));

  app.get('/identifiers', {
    config: { permission: 'core.identifiers.read' },
    schema: {
      querystring: Type.Object(
        { type: Type.Optional(IdentifierType), q: Type.Optional(Type.String({ maxLength: 200 })), targetType: Type.Optional(TargetType), targetId: Type.Optional(Uuid), ...PageQuery },
        { additionalProperties: false },
      ),
      response: { 200: Page(IdentifierSchema), ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    const { limit, offset } = pageOf(q);
    const where: string[] = ['true'];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.type) add('type = ?', q.type);
    if (q.targetType) add('target_type = ?', q.targetType);
    if (q.targetId) add('target_id = ?', q.targetId);
    if (q.q?.trim()) add('lower(value) LIKE ?', likePattern(q.q.trim().toLowerCase()));
    const db = reader(ctx);
    const rows = await db.execute<{ id: string; type: string; value: string; target_type: string; target_id: string; created_at: Date; total: string }>(
      `SELECT *, count(*) OVER () AS total FROM core_identifier WHERE ${where.join(' AND ')} ORDER BY type, value LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    let total = rows.length ? Number(rows[0].total) : 0;
    if (!rows.length && offset > 0) {
      const [c] = await db.execute<{ n: string }>(`SELECT count(*) AS n FROM core_identifier WHERE ${where.join(' AND ')}`, params);
      total = Number(c.n);
    }
    const described = await service.describeTargets(rows.map((r) => ({ type: r.target_type, id: r.target_id })));
    return {
      data: rows.map((r) => ({
        id: r.id,
        type: r.type as never,
        value: r.value,
        targetType: r.target_type,
        targetId: r.target_id,
        targetLabel: described.get(`${r.target_type}:${r.target_id}`)?.label ?? '(unavailable)',
        createdAt: iso(r.created_at)!,
      })),
      total,
      limit,
      offset,
    };
  });

  app.post('/identifiers', {
    config: { permission: 'core.identifiers.write' },
    schema: {
      summary: 'Attach an identifier (SKU, GTIN, serial, asset tag, EPC, QR…) to an item, a location or a plugin object',
      body: Type.Object(
        { type: IdentifierType, value: Type.String({ minLength: 1, maxLength: 500 }), targetType: TargetType, targetId: Uuid },
        { additionalProperties: false },
      ),
      response: { 201: IdentifierSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    const created = await ctx.transaction(req.actor, (tx) => assignIdentifier(tx, service, b));
    const label = (await service.describeTargets([{ type: b.targetType, id: b.targetId }])).get(`${b.targetType}:${b.targetId}`)?.label ?? '';
    return reply.status(201).send({ ...created, type: b.type, targetLabel: label });
  });

  app.delete('/identifiers/:id', {
    config: { permission: 'core.identifiers.write' },
    schema: { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (req, reply) => {
    await ctx.transaction(req.actor, async (tx) => {
      const [row] = await tx.execute<{ id: string; type: string; value: string; target_type: string; target_id: string }>(
        `DELETE FROM core_identifier WHERE id = $1 RETURNING id, type, value, target_type, target_id`,
        [req.params.id],
      );
      if (!row) throw problems.notFound('identifier', req.params.id);
      const ident = { id: row.id, type: row.type, value: row.value, targetType: row.target_type, targetId: row.target_id };
      await tx.audit({ action: 'deleted', entityType: 'core.identifier', entityId: row.id, before: ident });
      await tx.emit(IdentifierRemoved, ident);
    });
    return reply.status(204).send(null);
  });
}
