import { Type, IdParams, ProblemError, coreCatalogue, errorResponses, problems, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import type { ErpJournalOptions } from '../options.js';
import { read } from '../services/db.js';
import { AccountMappingIn, AccountMappingOut } from './schemas.js';

interface Row {
  id: string;
  role: string;
  category_id: string | null;
  site_id: string | null;
  account: string;
  name: string | null;
  updated_at: Date | string;
  updated_by_label: string;
}
const COLUMNS = `id::text AS id, role, category_id::text AS category_id, site_id::text AS site_id, account, name, updated_at, updated_by_label`;
const view = (r: Row) => ({
  id: r.id,
  role: r.role,
  categoryId: r.category_id,
  siteId: r.site_id,
  account: r.account,
  name: r.name,
  isDefault: r.category_id === null && r.site_id === null,
  updatedAt: new Date(r.updated_at).toISOString(),
  updatedBy: r.updated_by_label,
});

export function accountRoutes(app: PluginApp, ctx: PluginContext<ErpJournalOptions>) {
  app.get(
    '/accounts',
    {
      config: { permission: permissions.journalRead },
      schema: {
        summary: 'The chart of accounts: the account of each role, by default and per category and site',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: Type.Array(AccountMappingOut), ...errorResponses },
      },
    },
    async () => (await read(ctx, (db) => db.execute<Row>(`SELECT ${COLUMNS} FROM erp_journal_account_map ORDER BY role, category_id NULLS FIRST, site_id NULLS FIRST`))).map(view),
  );

  app.put(
    '/accounts',
    {
      config: { permission: permissions.accountsManage },
      schema: {
        summary: 'Set the account of a role, by default or for a category, a site, or both',
        description: 'The most specific mapping wins when an entry is booked: category and site, then category, then site, then the default. Changes apply to entries booked afterwards.',
        body: AccountMappingIn,
        response: { 200: AccountMappingOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const categoryId = b.categoryId ?? null;
      const siteId = b.siteId ?? null;
      if (siteId) {
        const [loc] = await ctx.services.get(coreCatalogue).locations([siteId]);
        if (!loc || loc.type !== 'site') throw problems.validation([{ field: 'siteId', message: loc ? `${loc.name} is a ${loc.type}, not a site` : 'no such location' }]);
      }
      return ctx.transaction(req.actor, async (tx) => {
        const [before] = await tx.execute<Row>(
          `SELECT ${COLUMNS} FROM erp_journal_account_map WHERE role = $1 AND category_id IS NOT DISTINCT FROM $2::uuid AND site_id IS NOT DISTINCT FROM $3::uuid FOR UPDATE`,
          [b.role, categoryId, siteId],
        );
        let row: Row;
        try {
          [row] = before
            ? await tx.execute<Row>(`UPDATE erp_journal_account_map SET account = $2, name = $3, updated_at = now(), updated_by_label = $4 WHERE id = $1 RETURNING ${COLUMNS}`, [before.id, b.account.trim(), b.name?.trim() || null, req.actor.label])
            : await tx.execute<Row>(`INSERT INTO erp_journal_account_map (role, category_id, site_id, account, name, updated_by_label) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`, [
                b.role,
                categoryId,
                siteId,
                b.account.trim(),
                b.name?.trim() || null,
                req.actor.label,
              ]);
        } catch (err) {
          if ((err as { code?: string }).code === '23503') throw problems.validation([{ field: 'categoryId', message: 'no such category' }]);
          throw err;
        }
        await tx.audit({ action: before ? 'updated' : 'created', entityType: 'erp-journal.account', entityId: row.id, before: before ? view(before) : undefined, after: view(row) });
        return view(row);
      });
    },
  );

  app.delete(
    '/accounts/:id',
    {
      config: { permission: permissions.accountsManage },
      schema: { summary: 'Remove a category or site mapping (its entries then use the next less specific one)', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (req, reply) => {
      await ctx.transaction(req.actor, async (tx) => {
        const [row] = await tx.execute<Row>(`SELECT ${COLUMNS} FROM erp_journal_account_map WHERE id = $1 FOR UPDATE`, [req.params.id]);
        if (!row) throw problems.notFound('account mapping', req.params.id);
        if (row.category_id === null && row.site_id === null) {
          throw new ProblemError({ type: 'erp-journal/default-account', status: 409, title: 'Default account', detail: `The default account of ${row.role} cannot be removed, only changed`, extensions: { role: row.role } });
        }
        await tx.execute(`DELETE FROM erp_journal_account_map WHERE id = $1`, [row.id]);
        await tx.audit({ action: 'deleted', entityType: 'erp-journal.account', entityId: row.id, before: view(row) });
      });
      return reply.status(204).send(null);
    },
  );
}
