import { check, defineScenario, type IterationContext } from '../scenario.js';
import { baselineAuth } from '../targets.js';

const IDENTIFIER_TYPES = ['sku', 'gtin', 'serial', 'asset-tag', 'epc', 'qr', 'custom'];

interface CreatedItem {
  id: string;
  name: string;
  identifiers: { id: string; type: string; value: string }[];
}
interface Resolved {
  value: string;
  matches: { identifier: { id: string; type: string; value: string }; target: { type: string; id: string; label: string } }[];
}

/** Same requests and the same checks for both targets: the baseline serves the same paths. */
async function iteration(i: number, { http, runId, target }: IterationContext<undefined>) {
  const sku = `BENCH-${runId}-${target.kind}-${i}`;
  const created = await http.post<CreatedItem>('/api/core/items', { name: `Bench item ${i}`, identifiers: [{ type: 'sku', value: sku }] });
  check(created.status === 201, `POST /api/core/items answered ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`);
  check(typeof created.body.id === 'string' && created.body.identifiers?.[0]?.value === sku, 'created item carries its SKU');
  const resolved = await http.get<Resolved>(`/api/core/identifiers/resolve?value=${encodeURIComponent(sku)}`);
  check(resolved.status === 200, `GET /api/core/identifiers/resolve answered ${resolved.status}`);
  check(resolved.body.matches?.length === 1, `resolve found ${resolved.body.matches?.length} matches, expected 1`);
  check(resolved.body.matches[0].target.id === created.body.id, 'resolve points at the created item');
}

export default defineScenario({
  name: 'create-resolve',
  description: 'POST /api/core/items with one SKU, then GET /api/core/identifiers/resolve?value=<sku>',
  requestsPerIteration: 2,
  platform: iteration,
  baseline: iteration,

  /**
   * The minimal equivalent of the platform's work, on the same tables: one transaction writing the
   * item, its identifier, the audit row and the outbox events (the platform emits
   * core.identifier.assigned + core.item.created, so two outbox rows); the resolve is one indexed
   * lookup joined to core_item. A taken SKU is left to the unique index (409), not pre-checked.
   */
  baselineRoutes(app, { pool }) {
    app.post(
      '/api/core/items',
      {
        schema: {
          body: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 300 },
              identifiers: {
                type: 'array',
                maxItems: 50,
                items: {
                  type: 'object',
                  required: ['type', 'value'],
                  additionalProperties: false,
                  properties: { type: { enum: IDENTIFIER_TYPES }, value: { type: 'string', minLength: 1, maxLength: 500 } },
                },
              },
            },
          },
        },
      },
      async (req, reply) => {
        const body = req.body as { name: string; identifiers?: { type: string; value: string }[] };
        const auth = baselineAuth(req);
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const {
            rows: [item],
          } = await client.query(`INSERT INTO core_item (name) VALUES ($1) RETURNING *`, [body.name.trim()]);
          const identifiers: { id: string; type: string; value: string }[] = [];
          for (const ident of body.identifiers ?? []) {
            const value = ident.value.trim();
            const { rows } = await client.query<{ id: string }>(
              `INSERT INTO core_identifier (type, value, target_type, target_id) VALUES ($1, $2, 'core.item', $3) RETURNING id`,
              [ident.type, value, item.id],
            );
            identifiers.push({ id: rows[0].id, type: ident.type, value });
          }
          const out = {
            id: item.id,
            name: item.name,
            description: item.description,
            categoryId: item.category_id,
            category: null,
            unitOfMeasure: item.unit_of_measure,
            kind: item.kind,
            trackingMode: item.tracking_mode,
            attributes: item.attributes,
            archived: item.archived,
            identifiers,
            version: item.version,
            createdAt: item.created_at.toISOString(),
            updatedAt: item.updated_at.toISOString(),
          };
          await client.query(
            `INSERT INTO core_audit (actor_type, actor_id, actor_label, token_id, plugin_id, action, entity_type, entity_id, after)
             VALUES ('api-token', $1, 'bench', $2, 'core', 'created', 'core.item', $3, $4::jsonb)`,
            [auth.userId, auth.tokenId, item.id, JSON.stringify(out)],
          );
          const events = [
            ...identifiers.map((i) => ['core.identifier.assigned', { id: i.id, type: i.type, value: i.value, targetType: 'core.item', targetId: item.id }] as const),
            ['core.item.created', { id: item.id, name: item.name, kind: item.kind, trackingMode: item.tracking_mode }] as const,
          ];
          await client.query(
            `INSERT INTO core_outbox (name, source, payload, actor_id)
             SELECT name, 'core', payload, $3 FROM unnest($1::text[], $2::jsonb[]) AS e(name, payload)`,
            [events.map((e) => e[0]), events.map((e) => JSON.stringify(e[1])), auth.userId],
          );
          await client.query('COMMIT');
          return reply.code(201).send(out);
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          if ((err as { code?: string }).code === '23505') return reply.code(409).send({ title: 'Identifier already in use', status: 409 });
          throw err;
        } finally {
          client.release();
        }
      },
    );

    app.get(
      '/api/core/identifiers/resolve',
      { schema: { querystring: { type: 'object', required: ['value'], properties: { value: { type: 'string', minLength: 1, maxLength: 2000 } } } } },
      async (req) => {
        const value = (req.query as { value: string }).value.trim();
        const { rows } = await pool.query<{ id: string; type: string; value: string; target_type: string; target_id: string; name: string }>(
          `SELECT x.id, x.type, x.value, x.target_type, x.target_id, i.name
             FROM core_identifier x JOIN core_item i ON i.id = x.target_id AND x.target_type = 'core.item'
            WHERE x.value = $1 ORDER BY x.type, x.value`,
          [value],
        );
        return {
          value,
          matches: rows.map((r) => ({
            identifier: { id: r.id, type: r.type, value: r.value },
            target: { type: r.target_type, id: r.target_id, label: r.name, href: `/items/${r.target_id}` },
          })),
          interpretations: [],
        };
      },
    );
  },
});
