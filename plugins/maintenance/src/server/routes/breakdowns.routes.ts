/**
 * Breakdown reports: anyone with `maintenance.breakdown.report` scans an asset (or picks it) and
 * says what is wrong; a corrective work order is requested with the priority the asset's
 * criticality gives corrective work.
 */
import { ProblemError, Type, problems, Instant, Nullable, Uuid, errorResponses, lit, type FieldError, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { identifierService, readerOf } from '@quartermaster/core';
import { ASSET_TARGET_TYPE, fixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import { PRIORITIES, WORK_ORDER_STATUSES, permissions } from '../../shared/index.js';
import { FAILURE_CODE_RE, checkFailureCodes } from '../services/catalogue.service.js';
import { reportBreakdown } from '../services/breakdowns.service.js';

const BreakdownBody = Type.Object(
  {
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'What was scanned: the asset tag, or any identifier of the asset (serial, EPC, QR…)' })),
    assetId: Type.Optional(Uuid),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    assetDown: Type.Optional(Type.Boolean({ description: 'The asset cannot be used: starting the repair puts it in maintenance' })),
    failedAt: Type.Optional(Instant),
    problemCode: Type.Optional(Nullable(Type.String({ pattern: FAILURE_CODE_RE.source }))),
  },
  { additionalProperties: false },
);

const BreakdownOut = Type.Object({
  id: Uuid,
  number: Type.String(),
  type: Type.Literal('corrective'),
  status: lit(WORK_ORDER_STATUSES),
  priority: lit(PRIORITIES),
  title: Type.String(),
  assetId: Uuid,
  assetTag: Type.String(),
  assetName: Type.String(),
  assetDown: Type.Boolean(),
  failedAt: Nullable(Instant),
  problemCode: Nullable(Type.String()),
  reportedBy: Type.String(),
});

export function breakdownRoutes(app: PluginApp, ctx: PluginContext<any>) {
  const db = readerOf(ctx);

  /** The asset a scanned code names: its tag first, then the core's identifier registry. */
  async function assetForCode(code: string) {
    const assets = ctx.services.get(fixedAssetsService);
    const byTag = await assets.findByTag(code);
    if (byTag) return byTag;
    const resolved = await ctx.services.get(identifierService).resolve(code);
    const ids = [...new Set(resolved.matches.filter((m) => m.target.type === ASSET_TARGET_TYPE).map((m) => m.target.id))];
    if (ids.length > 1) {
      throw problems.conflict('maintenance/ambiguous-code', 'Code names several assets', `The code ${code} names ${ids.length} assets; report the breakdown by asset`, {
        field: 'code',
        code,
        assets: resolved.matches.filter((m) => m.target.type === ASSET_TARGET_TYPE).map((m) => ({ id: m.target.id, label: m.target.label })),
      });
    }
    if (ids.length === 1) return assets.getAsset(ids[0]);
    return null;
  }

  app.get(
    '/breakdowns/asset',
    {
      config: { permission: permissions.report },
      schema: {
        summary: 'What a scanned code names, before reporting its breakdown',
        description:
          'Resolves `code` exactly as `POST /breakdowns` will (the asset tag first, then any identifier in the core registry), so a reporter sees the right asset before sending; answers the active problem codes to choose from too. Needs only `maintenance.breakdown.report`. Unknown: 404 `maintenance/unknown-asset-code`; several assets: 409 `maintenance/ambiguous-code` listing them.',
        querystring: Type.Object({ code: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            asset: Type.Object({ id: Uuid, tag: Type.String(), name: Type.String(), status: Type.String(), locationId: Nullable(Uuid) }),
            problemCodes: Type.Array(Type.Object({ code: Type.String(), description: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const code = req.query.code.trim();
      if (!code) throw problems.validation([{ field: 'code', message: 'must not be blank' }]);
      const asset = await assetForCode(code);
      if (!asset) throw new ProblemError({ type: 'maintenance/unknown-asset-code', status: 404, title: 'Unknown asset code', detail: `No asset has the code ${code}`, extensions: { field: 'code', code } });
      const problemCodes = await db.execute<{ code: string; description: string }>(`SELECT code, description FROM maintenance_failure_code WHERE kind = 'problem' AND active ORDER BY code`);
      return { asset: { id: asset.id, tag: asset.tag, name: asset.name, status: asset.status, locationId: asset.locationId }, problemCodes };
    },
  );

  app.post(
    '/breakdowns',
    {
      config: { permission: permissions.report },
      schema: {
        summary: 'Report a breakdown',
        description:
          'Name the asset by `code` (a scanned tag or other identifier) or `assetId`, exactly one. Creates a `corrective` work order in `requested` whose priority follows the asset\'s criticality (A urgent, B high, C medium); `assetDown` means the repair takes the asset out of service when it starts. An unknown code is 404 `maintenance/unknown-asset-code`. Emits `work-order.created` and `breakdown.reported`.',
        body: BreakdownBody,
        response: { 201: BreakdownOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const errors: FieldError[] = [];
      const code = b.code?.trim();
      if (b.code !== undefined && !code) errors.push({ field: 'code', message: 'must not be blank' });
      if ((b.code === undefined) === (b.assetId === undefined)) errors.push({ field: b.code === undefined ? 'code' : 'assetId', message: 'name the asset by code or by assetId (exactly one)' });
      if (b.title !== undefined && !b.title.trim()) errors.push({ field: 'title', message: 'must not be blank' });
      if (b.failedAt && Date.parse(b.failedAt) > Date.now() + 5 * 60_000) errors.push({ field: 'failedAt', message: 'must not be in the future' });
      errors.push(...(await checkFailureCodes(db, { problem: b.problemCode })));
      if (errors.length) throw problems.validation(errors);
      const asset = code ? await assetForCode(code) : await ctx.services.get(fixedAssetsService).getAsset(b.assetId!);
      if (!asset) {
        if (code) throw new ProblemError({ type: 'maintenance/unknown-asset-code', status: 404, title: 'Unknown asset code', detail: `No asset has the code ${code}`, extensions: { field: 'code', code } });
        throw problems.validation([{ field: 'assetId', message: 'no such asset' }]);
      }
      const out = await ctx.transaction(req.actor, (tx) => reportBreakdown(tx, asset, { ...b, code: code ?? null }));
      return reply.status(201).send(out);
    },
  );
}
