/** The driver hands timestamptz back as PostgreSQL text; read it as an instant. */
export const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
/** UTC ISO-8601 of a timestamptz column, or null. */
export const isoOf = (v: Date | string | null | undefined): string | null => (v == null ? null : toDate(v).toISOString());
