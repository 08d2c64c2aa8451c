import type { CustodyHolderType } from '../types';

export interface HolderForm {
  to: CustodyHolderType;
  personId: string;
  userId: string;
  locationId: string;
  project: string;
}

export const blankHolder = (to: CustodyHolderType = 'person'): HolderForm => ({ to, personId: '', userId: '', locationId: '', project: '' });

/** The client-side check of a holder: the message for the missing field, keyed as the server names it. */
export function holderChecks(h: HolderForm): Record<string, string | false> {
  return {
    personId: h.to === 'person' && !h.personId && 'Pick a person',
    userId: h.to === 'user' && !h.userId && 'Pick a user',
    locationId: h.to === 'location' && !h.locationId && 'Pick a location',
    project: h.to === 'project' && !h.project.trim() && 'Name the project',
  };
}

/** The holder part of a check-out body: only the id (or project) the type needs. */
export function holderBody(h: HolderForm): { to: CustodyHolderType; personId?: string; userId?: string; locationId?: string; project?: string } {
  if (h.to === 'person') return { to: 'person', personId: h.personId };
  if (h.to === 'user') return { to: 'user', userId: h.userId };
  if (h.to === 'location') return { to: 'location', locationId: h.locationId };
  return { to: 'project', project: h.project.trim() };
}

/** A `datetime-local` value (local time, no zone) as an ISO instant; blank stays undefined. */
export function instantOf(local: string | null | undefined): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
