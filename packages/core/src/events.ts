import { Type } from '@sinclair/typebox';
import { defineEvent } from '@quartermaster/sdk';

const Ref = { id: Type.String({ format: 'uuid' }) };

export const CategoryCreated = defineEvent('core.category.created', Type.Object({ ...Ref, name: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]) }), { description: 'A category was created.' });
export const CategoryUpdated = defineEvent('core.category.updated', Type.Object({ ...Ref, name: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]) }), { description: 'A category was changed or moved.' });
export const ItemCreated = defineEvent('core.item.created', Type.Object({ ...Ref, name: Type.String(), kind: Type.String(), trackingMode: Type.String() }), { description: 'An item was created.' });
export const ItemUpdated = defineEvent('core.item.updated', Type.Object({ ...Ref, name: Type.String(), archived: Type.Boolean(), changed: Type.Array(Type.String()) }), { description: 'An item was changed, archived or unarchived; `changed` names the fields.' });
export const LocationCreated = defineEvent('core.location.created', Type.Object({ ...Ref, name: Type.String(), type: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]) }), { description: 'A location was created.' });
export const LocationUpdated = defineEvent('core.location.updated', Type.Object({ ...Ref, name: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]), moved: Type.Boolean() }), { description: 'A location was renamed, moved, re-typed or archived.' });
export const IdentifierAssigned = defineEvent('core.identifier.assigned', Type.Object({ ...Ref, type: Type.String(), value: Type.String(), targetType: Type.String(), targetId: Type.String() }), { description: 'An identifier (SKU, GTIN, serial, tag…) was attached to an item, location or other target.' });
export const IdentifierRemoved = defineEvent('core.identifier.removed', Type.Object({ ...Ref, type: Type.String(), value: Type.String(), targetType: Type.String(), targetId: Type.String() }), { description: 'An identifier was removed.' });
export const UserCreated = defineEvent('core.user.created', Type.Object({ ...Ref, email: Type.String() }), { description: 'A user was created.' });
export const UserUpdated = defineEvent('core.user.updated', Type.Object({ ...Ref, email: Type.String(), active: Type.Boolean(), changed: Type.Array(Type.String()) }), { description: 'A user was changed (name, roles, password, active).' });
export const UserSignedIn = defineEvent('core.user.signed-in', Type.Object({ ...Ref, email: Type.String() }), { description: 'A console session started.' });
export const UserSignedOut = defineEvent('core.user.signed-out', Type.Object({ ...Ref, email: Type.String() }), { description: 'A console session ended.' });
const RoleRef = Type.Object({ ...Ref, name: Type.String(), permissions: Type.Array(Type.String()) });
export const RoleCreated = defineEvent('core.role.created', RoleRef, { description: 'A role was created.' });
export const RoleUpdated = defineEvent('core.role.updated', RoleRef, { description: 'A role was renamed or its permissions changed.' });
export const RoleDeleted = defineEvent('core.role.deleted', RoleRef, { description: 'A role was deleted.' });
const TokenRef = Type.Object({ ...Ref, name: Type.String(), userId: Type.String({ format: 'uuid' }), permissions: Type.Array(Type.String()) });
export const ApiTokenCreated = defineEvent('core.api-token.created', TokenRef, { description: 'An API token was created.' });
export const ApiTokenRevoked = defineEvent('core.api-token.revoked', TokenRef, { description: 'An API token was revoked.' });

export const DeviceRegistered = defineEvent('core.device.registered', Type.Object({ ...Ref, code: Type.String(), kind: Type.String(), adapter: Type.String() }), { description: 'A device was registered.' });
export const DeviceChanged = defineEvent('core.device.changed', Type.Object({ ...Ref, code: Type.String(), status: Type.String(), changed: Type.Array(Type.String()) }), { description: 'A device was changed, disabled or enabled, or its key rotated; `changed` names what.' });

const WebhookRef = { ...Ref, name: Type.String(), url: Type.String(), events: Type.Array(Type.String()), active: Type.Boolean() };
export const WebhookCreated = defineEvent('core.webhook.created', Type.Object(WebhookRef), { description: 'A webhook subscription was created.' });
export const WebhookUpdated = defineEvent('core.webhook.updated', Type.Object({ ...WebhookRef, changed: Type.Array(Type.String()) }), {
  description: 'A webhook was changed, disabled or enabled, or its secret rotated (`changed` holds `secret`; the secret itself is never in an event).',
});
export const WebhookDeleted = defineEvent('core.webhook.deleted', Type.Object(WebhookRef), { description: 'A webhook and its delivery log were deleted.' });
export const WebhookReplayed = defineEvent('core.webhook.replayed', Type.Object({ ...Ref, deliveryIds: Type.Array(Type.String()) }), { description: 'Dead-lettered deliveries of a webhook were queued again.' });
export const WebhookPinged = defineEvent('core.webhook.pinged', Type.Object({ ...Ref, deliveryId: Type.String() }), { description: 'A test delivery was sent to a webhook.' });

export const coreEvents = [DeviceRegistered, DeviceChanged, CategoryCreated, CategoryUpdated, ItemCreated, ItemUpdated, LocationCreated, LocationUpdated, IdentifierAssigned, IdentifierRemoved, UserCreated,
  UserUpdated, UserSignedIn, UserSignedOut, RoleCreated, RoleUpdated, RoleDeleted, ApiTokenCreated, ApiTokenRevoked, WebhookCreated, WebhookUpdated, WebhookDeleted, WebhookReplayed, WebhookPinged];
