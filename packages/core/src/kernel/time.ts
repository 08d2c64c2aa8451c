/** UTC ISO-8601 from whatever the driver returns for timestamptz (Date or PostgreSQL text). */
export const iso = (d: Date | string | null | undefined): string | null =>
  d == null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString();
