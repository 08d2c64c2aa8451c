import { Type, defineEvent } from '@quartermaster/sdk';

/** A depreciation run of a book's period began posting. */
export const DepreciationRunStarted = defineEvent(
  'fixed-assets.depreciation.run-started',
  Type.Object({ runId: Type.String(), book: Type.String(), periodStart: Type.String(), periodEnd: Type.String(), assets: Type.Integer() }),
);

/** A period's depreciation is posted in a book, with the journal entry that books it (null when nothing was due). */
export const DepreciationPosted = defineEvent(
  'fixed-assets.depreciation.posted',
  Type.Object({
    runId: Type.String(),
    book: Type.String(),
    periodStart: Type.String(),
    periodEnd: Type.String(),
    totalAmount: Type.String(),
    journalEntryId: Type.Union([Type.String(), Type.Null()]),
    /** The run's depreciation per category and site (the top-most location of type site above the asset). */
    lines: Type.Array(
      Type.Object({
        categoryId: Type.Union([Type.String(), Type.Null()]),
        siteId: Type.Union([Type.String(), Type.Null()]),
        amount: Type.String(),
        assets: Type.Integer(),
      }),
    ),
  }),
);

/** A book's period is closed: nothing more is posted into it. */
export const PeriodClosed = defineEvent(
  'fixed-assets.period.closed',
  Type.Object({ book: Type.String(), periodStart: Type.String(), periodEnd: Type.String() }),
);
