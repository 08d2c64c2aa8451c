/** Events of verification campaigns (physical audits) and of what they find. */
import { Type, defineEvent } from '@quartermaster/sdk';

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const CampaignRef = { id: Uuid, number: Type.String(), name: Type.String(), locationId: Uuid, categoryId: Nullable(Uuid) };

/** A campaign was opened: `expected` assets were snapshotted as due at its location (and below). */
export const CampaignCreated = defineEvent('fixed-assets.campaign.created', Type.Object({ ...CampaignRef, expected: Type.Integer(), dueDate: Nullable(Type.String({ format: 'date' })) }));

/** A campaign was closed; the counts are final. `forced`: closed with discrepancies left unreconciled. */
export const CampaignClosed = defineEvent(
  'fixed-assets.campaign.closed',
  Type.Object({
    ...CampaignRef,
    expected: Type.Integer(),
    found: Type.Integer(),
    missing: Type.Integer(),
    unexpected: Type.Integer(),
    unknown: Type.Integer(),
    unreconciled: Type.Integer(),
    forced: Type.Boolean(),
    reason: Nullable(Type.String()),
  }),
);

/** A campaign was called off: nothing it found is acted on. */
export const CampaignCancelled = defineEvent('fixed-assets.campaign.cancelled', Type.Object({ ...CampaignRef, reason: Nullable(Type.String()) }));

/** An audit did not find an asset where the register has it; the asset carries the flag until it is found again. */
export const AssetFlaggedMissing = defineEvent(
  'fixed-assets.asset.flagged-missing',
  Type.Object({ id: Uuid, tag: Type.String(), campaignId: Uuid, locationId: Nullable(Uuid), reason: Nullable(Type.String()) }),
);

export const campaignEvents = [CampaignCreated, CampaignClosed, CampaignCancelled, AssetFlaggedMissing];
