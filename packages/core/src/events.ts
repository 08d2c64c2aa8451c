import { Type } from '@sinclair/typebox';
import { defineEvent } from '@quartermaster/sdk';

const Ref = { id: Type.String({ format: 'uuid' }) };

export const CategoryCreated = defineEvent('core.category.created', Type.Object({ ...Ref, name: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]) }));
export const CategoryUpdated = defineEvent('core.category.updated', Type.Object({ ...Ref, name: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]) }));
export const ItemCreated = defineEvent('core.item.created', Type.Object({ ...Ref, name: Type.String(), kind: Type.String(), trackingMode: Type.String() }));
export const ItemUpdated = defineEvent('core.item.updated', Type.Object({ ...Ref, name: Type.String(), archived: Type.Boolean(), changed: Type.Array(Type.String()) }));
export const LocationCreated = defineEvent('core.location.created', Type.Object({ ...Ref, name: Type.String(), type: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]) }));
export const LocationUpdated = defineEvent('core.location.updated', Type.Object({ ...Ref, name: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]), moved: Type.Boolean() }));
export const IdentifierAssigned = defineEvent('core.identifier.assigned', Type.Object({ ...Ref, type: Type.String(), value: Type.String(), targetType: Type.String(), targetId: Type.String() }));
export const IdentifierRemoved = defineEvent('core.identifier.removed', Type.Object({ ...Ref, type: Type.String(), value: Type.String(), targetType: Type.String(), targetId: Type.String() }));
export const UserCreated = defineEvent('core.user.created', Type.Object({ ...Ref, email: Type.String() }));
export const UserUpdated = defineEvent('core.user.updated', Type.Object({ ...Ref, email: Type.String(), active: Type.Boolean(), changed: Type.Array(Type.String()) }));
export const UserSignedIn = defineEvent('core.user.signed-in', Type.Object({ ...Ref, email: Type.String() }));
export const UserSignedOut = defineEvent('core.user.signed-out', Type.Object({ ...Ref, email: Type.String() }));
const RoleRef = Type.Object({ ...Ref, name: Type.String(), permissions: Type.Array(Type.String()) });
export const RoleCreated = defineEvent('core.role.created', RoleRef);
export const RoleUpdated = defineEvent('core.role.updated', RoleRef);
export const RoleDeleted = defineEvent('core.role.deleted', RoleRef);
const TokenRef = Type.Object({ ...Ref, name: Type.String(), userId: Type.String({ format: 'uuid' }), permissions: Type.Array(Type.String()) });
export const ApiTokenCreated = defineEvent('core.api-token.created', TokenRef);
export const ApiTokenRevoked = defineEvent('core.api-token.revoked', TokenRef);

export const DeviceRegistered = defineEvent('core.device.registered', Type.Object({ ...Ref, code: Type.String(), kind: Type.String(), adapter: Type.String() }));
export const DeviceChanged = defineEvent('core.device.changed', Type.Object({ ...Ref, code: Type.String(), status: Type.String(), changed: Type.Array(Type.String()) }));

export const coreEvents = [DeviceRegistered, DeviceChanged, CategoryCreated, CategoryUpdated, ItemCreated, ItemUpdated, LocationCreated, LocationUpdated, IdentifierAssigned, IdentifierRemoved, UserCreated,
  UserUpdated, UserSignedIn, UserSignedOut, RoleCreated, RoleUpdated, RoleDeleted, ApiTokenCreated, ApiTokenRevoked];
