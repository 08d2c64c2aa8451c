/**
 * The ERP journal's public contract: permission ids, its events and the DTO types of its API.
 * No server or console code here.
 */
import { Type, defineEvent } from '@quartermaster/sdk';

export * from './constants.js';

const Decimal = Type.String({ description: 'decimal number as a string' });

export const EntryPosted = defineEvent(
  'erp-journal.entry.posted',
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    entryDate: Type.String({ format: 'date' }),
    period: Type.String(),
    sourceType: Type.String(),
    sourceRef: Type.String(),
    total: Decimal,
    /** The date the source asked for when it fell into a closed period and the entry was booked in the open one. */
    redatedFrom: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  }),
  { description: 'A balanced journal entry was booked from an inventory or fixed-asset event.' },
);

export const PeriodPushed = defineEvent(
  'erp-journal.period.pushed',
  Type.Object({ period: Type.String(), pushed: Type.Integer(), failed: Type.Integer(), alreadyPushed: Type.Integer() }),
  { description: "A period's journal entries were sent to the ERP; counts of what it acknowledged now, what failed and what it had already.", aggregate: { type: 'erp-journal.period', field: 'period' } },
);

export const PeriodClosed = defineEvent(
  'erp-journal.period.closed',
  Type.Object({ period: Type.String(), closedThrough: Type.String({ format: 'date' }), entries: Type.Integer(), closedBy: Type.String() }),
  { description: 'An accounting period was closed: nothing more is booked into it or before it.', aggregate: { type: 'erp-journal.period', field: 'period' } },
);

export const PeriodReopened = defineEvent(
  'erp-journal.period.reopened',
  Type.Object({ period: Type.String(), closedThrough: Type.Union([Type.String({ format: 'date' }), Type.Null()]), reopenedBy: Type.String() }),
  { description: 'The last closed accounting period was reopened.', aggregate: { type: 'erp-journal.period', field: 'period' } },
);

export const erpJournalEvents = [EntryPosted, PeriodPushed, PeriodClosed, PeriodReopened];
