/**
 * Closed accounting periods. A plugin that closes periods (an ERP connector) contributes a guard;
 * a plugin that posts dated movements (inventory) asks the core's `postingPeriods` service before
 * it writes. The core owns neither the periods nor the moves: it only routes the question, so the
 * poster and the closer never import each other.
 */
import type { Transaction } from './plugin.js';
import { createExtensionPoint, createServiceRef } from './extension-points.js';

/** What is about to be posted. */
export interface PostingDateRequest {
  /** The posting plugin's id, e.g. `inventory`; guards may treat domains differently. */
  domain: string;
  /** When the posting takes effect: an ISO date-time in UTC. */
  effectiveAt: string;
  /** For messages: e.g. `receipt`, `issue`. */
  kind?: string;
}

export type PostingDateDecision =
  | { action: 'accept' }
  /** The date falls in a closed period and the guard's rule is to refuse it. */
  | { action: 'refuse'; period: string; reason: string }
  /** The date falls in a closed period and the guard's rule moves it to `effectiveAt` (in the open period). */
  | { action: 'redate'; effectiveAt: string; period: string; reason: string };

export interface PostingPeriodGuard {
  /** Stable id for messages and logs, e.g. `erp-journal.periods`. */
  id: string;
  /**
   * Decide inside the poster's transaction; read with a share lock so a concurrent close waits for
   * this posting (or this posting sees the close).
   */
  check(tx: Transaction, request: PostingDateRequest): Promise<PostingDateDecision>;
}

export const postingPeriodGuards = createExtensionPoint<PostingPeriodGuard>(
  'core.postingPeriodGuards',
  'Refuse or re-date postings into closed accounting periods',
);

export interface PostingDateResolution {
  /** The date-time to post with: the requested one, or the re-dated one. */
  effectiveAt: string;
  /** The requested date-time when a guard re-dated the posting; null otherwise. */
  redatedFrom: string | null;
  /** Why it was re-dated (the guard's reason); null otherwise. */
  reason: string | null;
}

export interface PostingPeriodService {
  /** True when at least one guard is contributed: posters may skip the call otherwise. */
  readonly guarded: boolean;
  /**
   * Ask every guard in load order. A refusal throws a 409 problem of type `posting-period-closed`
   * naming the field `effectiveAt`, the period and the reason; a re-date is applied and later guards
   * are asked about the new date.
   */
  resolve(tx: Transaction, request: PostingDateRequest): Promise<PostingDateResolution>;
}

export const postingPeriods = createServiceRef<PostingPeriodService>('core.postingPeriods');
