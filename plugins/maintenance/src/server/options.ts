import { Type, type Static } from '@quartermaster/sdk';

export const MaintenanceOptionsSchema = Type.Object({
  /** Decimal places of the currency's minor unit: costs out carry exactly this many. */
  currencyMinorUnits: Type.Integer({ minimum: 0, maximum: 4, default: 2 }),
  /** Labour cost per hour when neither the technician nor the team sets one (in the asset's currency). */
  defaultHourlyRate: Type.String({ pattern: '^\\d{1,12}(\\.\\d{1,4})?$', default: '0' }),
  /** Days after its due date a preventive order still counts as done on time (PM compliance). */
  complianceGraceDays: Type.Integer({ minimum: 0, maximum: 365, default: 3 }),
  /** Where spare parts are taken from when the order names no location. */
  defaultPartsLocationCode: Type.Optional(Type.String({ minLength: 1 })),
  scheduler: Type.Object(
    {
      /** Generate due work orders on a timer (pg-boss queue in PostgreSQL, safe with several instances). */
      enabled: Type.Boolean({ default: true }),
      /** How often a generation pass runs, as a cron expression (minute granularity). */
      cron: Type.String({ minLength: 9, default: '*/5 * * * *' }),
      /** How often overdue work orders and calibrations are announced, in seconds; 0 turns it off. */
      overdueSweepSeconds: Type.Integer({ minimum: 0, default: 300 }),
      /** Plans evaluated per transaction in a generation pass. */
      batchSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
    },
    { default: { enabled: true, cron: '*/5 * * * *', overdueSweepSeconds: 300, batchSize: 500 } },
  ),
  notifications: Type.Object(
    {
      /** Built-in webhook channel: every notification is POSTed as JSON to each URL. */
      webhooks: Type.Array(Type.String({ format: 'uri' }), { default: [] }),
    },
    { default: { webhooks: [] } },
  ),
  /** Raw readings older than this many days are deleted by the sweep (0 keeps them for ever). */
  readingRetentionDays: Type.Integer({ minimum: 0, default: 0 }),
});

export type MaintenanceOptions = Static<typeof MaintenanceOptionsSchema>;
