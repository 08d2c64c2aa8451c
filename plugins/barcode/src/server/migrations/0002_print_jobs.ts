import type { Migration } from '@quartermaster/sdk';

/**
 * Print jobs: every time labels were sent to a network printer, whether the printer took them
 * (`sent`) or could not be reached (`failed`, with why). Written after the attempt, in the same
 * transaction as its audit record and (when sent) its `barcode.labels.printed` event.
 */
export const printJobsMigration: Migration = {
  name: '0002_print_jobs',
  async up(db) {
    await db.execute(`
      CREATE TABLE barcode_print_job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        printer_id uuid NOT NULL REFERENCES core_device(id),
        -- Null for the system; a person or an API token's owner otherwise. The label says who it was then.
        printed_by uuid REFERENCES core_user(id),
        printed_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- What was printed: symbology, size, dpi, text lines (the template as used) and the targets.
        template jsonb NOT NULL,
        targets jsonb NOT NULL,
        label_count integer NOT NULL CHECK (label_count BETWEEN 1 AND 500),
        copies integer NOT NULL CHECK (copies BETWEEN 1 AND 1000),
        bytes integer NOT NULL CHECK (bytes >= 0),
        status text NOT NULL CHECK (status IN ('sent','failed')),
        error text,
        CHECK ((status = 'failed') = (error IS NOT NULL))
      );
      CREATE INDEX barcode_print_job_printer_idx ON barcode_print_job (printer_id, created_at DESC, id DESC);
      CREATE INDEX barcode_print_job_created_idx ON barcode_print_job (created_at DESC, id DESC);
    `);
  },
};
