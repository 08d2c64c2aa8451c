import { Type, type PluginApp, type PluginContext } from '@quartermaster/sdk';
import { permissions } from '../../shared/index.js';
import type { FixedAssetsOptions } from '../options.js';
import { disposeAsset, transitionAsset } from '../services/lifecycle.service.js';
import { moveAsset } from '../services/moves.service.js';
import { assetView } from '../services/views.js';
import { AssetOut } from './outputs.js';
import { DecimalIn, DisposalKindSchema, IdParams, IsoDate, Nullable, Reason, StatusSchema, Uuid, clean, errorResponses } from './schemas.js';

export const TransitionBody = Type.Object(
  { to: StatusSchema, reason: Reason },
  { additionalProperties: false },
);

export const DisposeBody = Type.Object(
  {
    kind: DisposalKindSchema,
    disposedOn: Type.Optional(IsoDate),
    proceeds: Type.Optional(Nullable(DecimalIn)),
    /** Costs of disposal (commission, removal, legal fees): net proceeds are proceeds less these. */
    costsOfDisposal: Type.Optional(Nullable(DecimalIn)),
    reason: Reason,
  },
  { additionalProperties: false },
);

export const MoveBody = Type.Object({ locationId: Uuid, reason: Reason }, { additionalProperties: false });

export function lifecycleRoutes(app: PluginApp, ctx: PluginContext<any>, options: FixedAssetsOptions) {
  const minor = options.currencyMinorUnits;

  app.post(
    '/assets/:id/transitions',
    {
      config: { permission: permissions.assetWrite },
      schema: {
        summary: 'Move an asset to another status',
        description:
          'Receive (ordered → received), place in service, start/end maintenance, dispatch/arrive (in transit), retire, reinstate. ' +
          'A transition the lifecycle does not allow is 409 `fixed-assets/illegal-transition` naming the current and requested status; ' +
          'check-out, check-in and disposal have their own routes (409 `fixed-assets/transition-needs-action` names it).',
        params: IdParams,
        body: TransitionBody,
        response: { 200: AssetOut, ...errorResponses },
      },
    },
    async (req) =>
      (await ctx.transaction(req.actor, async (tx) => {
        await transitionAsset(tx, req.params.id, req.body.to, clean(req.body.reason));
        return assetView(tx, req.params.id, minor);
      }))!,
  );

  app.post(
    '/assets/:id/dispose',
    {
      config: { permission: permissions.assetDispose },
      schema: {
        summary: 'Dispose of an asset',
        description:
          'Sold, scrapped or donated once retired; lost or stolen from any status in use (an open custody closes with it); returned to the supplier while ordered or received. ' +
          'The asset leaves its bookings, kits and parent; one with components attached is refused. ' +
          'In each depreciation book it carries it is derecognised in the same transaction: depreciation from the last posted period up to the disposal date (under the book\'s convention), ' +
          'net book value, net proceeds (proceeds less costs of disposal) and gain or loss, booked as one balanced journal entry per book (source `disposal`); ' +
          'later period runs leave it out. A date inside a closed period of one of its books is 409 `fixed-assets/period-closed`. ' +
          'POST /assets/{id}/disposal-preview shows the figures first.',
        params: IdParams,
        body: DisposeBody,
        response: { 200: AssetOut, ...errorResponses },
      },
    },
    async (req) =>
      (await ctx.transaction(req.actor, async (tx) => {
        await disposeAsset(tx, req.params.id, req.body, options);
        return assetView(tx, req.params.id, minor);
      }))!,
  );

  app.post(
    '/assets/:id/move',
    {
      config: { permission: permissions.assetWrite },
      schema: {
        summary: 'Move an asset (with its components) to a location',
        description: 'Each component moves with it, with its own history entry and event. A component does not move on its own (409 `fixed-assets/component-moves-with-parent`).',
        params: IdParams,
        body: MoveBody,
        response: { 200: Type.Object({ asset: AssetOut, moved: Type.Array(Uuid) }), ...errorResponses },
      },
    },
    async (req) =>
      ctx.transaction(req.actor, async (tx) => {
        const moved = await moveAsset(tx, req.params.id, req.body.locationId, clean(req.body.reason));
        return { asset: (await assetView(tx, req.params.id, minor))!, moved };
      }),
  );
}
