/** Verification campaigns: open an audit of a location, scan, reconcile the discrepancies, close. */
import { Type, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { CAMPAIGN_LINE_STATES, CAMPAIGN_STATUSES, RECONCILE_ACTIONS, SCAN_RESULTS, SCAN_SOURCES, permissions } from '../../shared/index.js';
import type { FixedAssetsOptions } from '../options.js';
import {
  campaignClosed,
  campaignLines,
  campaignNotFound,
  campaignView,
  cancelCampaign,
  cleanCodes,
  closeCampaign,
  countsOf,
  createCampaign,
  listCampaigns,
  lockCampaign,
  reconcileCampaign,
  recordScans,
  resolveCodes,
} from '../services/campaigns.service.js';
import { readerOf } from '../services/db.js';
import { IdParams, IsoDate, Nullable, Page, PageQuery, StatusSchema, Uuid, errorResponses, lit, pageOf } from './schemas.js';

const Pathed = Type.Object({ id: Uuid, name: Type.String(), path: Type.String() });

export const CampaignCountsOut = Type.Object({
  expected: Type.Integer({ description: 'Assets the snapshot expected' }),
  found: Type.Integer({ description: 'Scanned and registered within the campaign' }),
  missing: Type.Integer({ description: 'Expected and not scanned' }),
  unexpected: Type.Integer({ description: 'Scanned here, registered outside the campaign (or disposed of)' }),
  extra: Type.Integer({ description: 'Found though not in the snapshot' }),
  misplaced: Type.Integer({ description: 'Found, but not under the location the scanner said it was at' }),
  unknown: Type.Integer({ description: 'Codes that matched no asset, or several' }),
  reads: Type.Integer({ description: 'Readings received, repeats included' }),
  reconciled: Type.Integer(),
  unreconciled: Type.Integer({ description: 'Missing and unexpected assets not yet reconciled' }),
});

export const CampaignOut = Type.Object({
  id: Uuid,
  number: Type.String({ description: 'Shown as A-<number>' }),
  name: Type.String(),
  status: lit(CAMPAIGN_STATUSES),
  location: Pathed,
  category: Nullable(Pathed),
  dueDate: Nullable(Type.String({ format: 'date' })),
  notes: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  closedAt: Nullable(Type.String()),
  closedBy: Nullable(Type.String()),
  closeReason: Nullable(Type.String()),
  /** Closed with discrepancies left unreconciled. */
  forced: Type.Boolean(),
  counts: CampaignCountsOut,
});

export const CampaignLineOut = Type.Object({
  state: lit(CAMPAIGN_LINE_STATES),
  asset: Nullable(
    Type.Object({
      id: Uuid,
      tag: Type.String(),
      name: Type.String(),
      serialNumber: Nullable(Type.String()),
      status: StatusSchema,
      location: Nullable(Pathed),
      flaggedMissingAt: Nullable(Type.String()),
    }),
  ),
  /** The code scanned (the asset's first reading, or the unknown code). */
  code: Nullable(Type.String()),
  codeKind: Nullable(lit(['unknown', 'ambiguous'] as const)),
  expected: Type.Boolean(),
  misplaced: Type.Boolean(),
  /** Where the register had the asset: at the snapshot (expected) or at its first scan (unexpected). */
  registeredLocation: Nullable(Pathed),
  scannedLocation: Nullable(Pathed),
  source: Nullable(lit(SCAN_SOURCES)),
  scannedAt: Nullable(Type.String()),
  scannedBy: Nullable(Type.String()),
  reads: Type.Integer(),
  resolution: Nullable(Type.Object({ action: lit(RECONCILE_ACTIONS), reason: Nullable(Type.String()), resolvedAt: Type.String(), resolvedBy: Type.String() })),
});

export const CampaignDetailOut = Type.Composite([CampaignOut, Type.Object({ lines: Page(CampaignLineOut) })]);

const ScanOutcomeOut = Type.Object({
  index: Type.Integer(),
  code: Type.String(),
  result: lit(SCAN_RESULTS),
  firstResult: Nullable(lit(['found', 'unexpected', 'unknown', 'ambiguous'] as const)),
  asset: Nullable(Type.Object({ id: Uuid, tag: Type.String(), name: Type.String(), status: StatusSchema, location: Nullable(Pathed) })),
  expected: Type.Boolean(),
  misplaced: Type.Boolean(),
  candidates: Type.Array(Type.Object({ id: Uuid, tag: Type.String(), name: Type.String() })),
  message: Type.String(),
});

export const CreateCampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    locationId: Uuid,
    categoryId: Type.Optional(Nullable(Uuid)),
    dueDate: Type.Optional(Nullable(IsoDate)),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);

export const ScanBody = Type.Object(
  {
    codes: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
      minItems: 1,
      maxItems: 1000,
      description: 'Scanned values: asset tags, serial numbers, RFID EPCs, QR payloads, GS1 codes with GTIN and serial — anything the identifier resolution maps to an asset',
    }),
    locationId: Type.Optional(Type.String({ format: 'uuid', description: 'Where the scanner is; within the campaign. Default: the campaign location' })),
    source: Type.Optional(lit(SCAN_SOURCES)),
  },
  { additionalProperties: false },
);

export const ReconcileBody = Type.Object(
  {
    actions: Type.Array(
      Type.Object({ assetId: Uuid, action: lit(RECONCILE_ACTIONS), reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

export const CloseCampaignBody = Type.Object(
  { force: Type.Optional(Type.Boolean({ description: 'Close although discrepancies are not reconciled (needs a reason)' })), reason: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
export const CancelCampaignBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

export function campaignRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const db = readerOf(ctx);
  const viewOf = async (id: string) => (await campaignView(db, id))!;

  app.post(
    '/campaigns',
    {
      config: { permission: permissions.auditRun },
      schema: {
        summary: 'Open a verification campaign (a physical audit)',
        description:
          'Covers the location and everything below it, optionally only assets of a category (and those below it). The assets expected there (not disposed of) are snapshotted into the campaign\'s lines.',
        body: CreateCampaignBody,
        response: { 201: CampaignOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = await ctx.transaction(req.actor, (tx) => createCampaign(tx, req.body));
      return reply.status(201).send(await viewOf(id));
    },
  );

  app.get(
    '/campaigns',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'Verification campaigns, newest first',
        description: '`locationId`: campaigns that cover the location (at it, above it) or a place below it. `q`: part of the name, or the number.',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Array(lit(CAMPAIGN_STATUSES), { maxItems: 3, description: 'One or more statuses (repeat the parameter)' })),
            locationId: Type.Optional(Uuid),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(CampaignOut), ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset } = pageOf(req.query);
      return { ...(await listCampaigns(db, req.query, limit, offset)), limit, offset };
    },
  );

  app.get(
    '/campaigns/:id',
    {
      config: { permission: permissions.assetRead },
      schema: {
        summary: 'A campaign with its counts and lines (found, missing, unexpected, unknown codes)',
        description: 'Lines come unexpected first, then missing, found, unknown codes; by tag. Filter with `state` (repeatable), `resolved`, `misplaced` and `q` (tag, name, serial or code).',
        params: IdParams,
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Array(lit(CAMPAIGN_LINE_STATES), { maxItems: 4 })),
            resolved: Type.Optional(Type.Boolean()),
            misplaced: Type.Optional(Type.Boolean()),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: CampaignDetailOut, ...errorResponses },
      },
    },
    async (req) => {
      const campaign = await campaignView(db, req.params.id);
      if (!campaign) throw campaignNotFound(req.params.id);
      const { limit, offset } = pageOf(req.query);
      return { ...campaign, lines: { ...(await campaignLines(db, req.params.id, req.query, limit, offset)), limit, offset } };
    },
  );

  app.post(
    '/campaigns/:id/scans',
    {
      config: { permission: permissions.auditRun },
      schema: {
        summary: 'Record scanned codes',
        description: [
          'Each code is resolved (core identifiers — asset tags, RFID EPCs, QR payloads —, the tag column, a GS1 code with GTIN and serial, the serial number) and answered, in the order sent:',
          '`found` (the asset belongs to the campaign; `misplaced` when it is registered outside the location the scanner is at), `unexpected` (registered outside the campaign, or disposed of: the message says where), `unknown`, `ambiguous` (several assets: `candidates`), or `duplicate` (already scanned in this campaign, by this request or an earlier one; `firstResult` says what it was). Repeats never count twice, also from two scanners at once.',
          'A closed or cancelled campaign answers 409 `fixed-assets/campaign-closed`.',
        ].join('\n\n'),
        params: IdParams,
        body: ScanBody,
        response: { 200: Type.Object({ results: Type.Array(ScanOutcomeOut), counts: CampaignCountsOut }), ...errorResponses },
      },
    },
    async (req) => {
      const id = req.params.id;
      const codes = cleanCodes(req.body.codes);
      // Refuse before resolving anything; the transaction checks again under its lock.
      const c = await lockCampaign(db, id, 'SHARE');
      if (c.status !== 'open') throw campaignClosed(c);
      const resolved = await resolveCodes(ctx, codes);
      const results = await ctx.transaction(req.actor, (tx) => recordScans(tx, id, req.body, codes, resolved));
      return { results, counts: (await countsOf(db, [id])).get(id)! };
    },
  );

  app.post(
    '/campaigns/:id/reconcile',
    {
      config: { permission: permissions.auditRun },
      schema: {
        summary: 'Settle discrepancies, all or nothing',
        description: [
          '`move-here`: an asset scanned somewhere other than where it is registered moves (with its components) to where it was scanned.',
          '`flag-missing`: a missing asset is flagged (`flaggedMissingAt`) until a scan finds it again; emits `fixed-assets.asset.flagged-missing`.',
          '`mark-lost`: a missing asset is disposed of as lost (needs fixed-assets.asset.dispose too).',
          '`ignore`: record that nothing is to be done.',
          'Every action is checked first (400 naming `actions.<n>.*`); if the register refuses any (a component does not move on its own, an asset with components is not written off…), nothing is done: 409 `fixed-assets/bulk-refused` lists each refusal. Repeating an action already taken is a no-op (`already-done`).',
        ].join('\n\n'),
        params: IdParams,
        body: ReconcileBody,
        response: {
          200: Type.Object({
            results: Type.Array(Type.Object({ assetId: Uuid, tag: Type.String(), action: lit(RECONCILE_ACTIONS), outcome: lit(['done', 'already-done'] as const), moved: Type.Array(Uuid) })),
            campaign: CampaignOut,
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const results = await ctx.transaction(req.actor, (tx) => reconcileCampaign(tx, req.params.id, req.body.actions, options));
      return { results, campaign: await viewOf(req.params.id) };
    },
  );

  app.post(
    '/campaigns/:id/close',
    {
      config: { permission: permissions.auditRun },
      schema: {
        summary: 'Close a campaign; the answer is its final summary',
        description:
          'Refused (409 `fixed-assets/campaign-unreconciled`, with the numbers) while missing or unexpected assets are not reconciled, unless `force` is true with a `reason`. Emits `fixed-assets.campaign.closed`.',
        params: IdParams,
        body: CloseCampaignBody,
        response: { 200: CampaignOut, ...errorResponses },
      },
    },
    async (req) => {
      await ctx.transaction(req.actor, (tx) => closeCampaign(tx, req.params.id, req.body));
      return viewOf(req.params.id);
    },
  );

  app.post(
    '/campaigns/:id/cancel',
    {
      config: { permission: permissions.auditRun },
      schema: { summary: 'Call a campaign off (nothing it found is acted on)', params: IdParams, body: CancelCampaignBody, response: { 200: CampaignOut, ...errorResponses } },
    },
    async (req) => {
      await ctx.transaction(req.actor, (tx) => cancelCampaign(tx, req.params.id, req.body.reason?.trim() || null));
      return viewOf(req.params.id);
    },
  );
}
