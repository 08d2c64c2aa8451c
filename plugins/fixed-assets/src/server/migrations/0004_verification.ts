import type { Migration } from '@quartermaster/sdk';

/**
 * Verification campaigns: physical audits of a location (and everything below it).
 *
 * - `fixed_assets_campaign`: one audit. On creation the assets expected there are snapshotted into
 *   its lines; it stays `open` while people scan, and ends `closed` (reconciled, or forced with a
 *   reason) or `cancelled`.
 * - `fixed_assets_campaign_line`: one row per asset the campaign is about: expected (from the
 *   snapshot) or scanned without being expected. The primary key (campaign, asset) is what makes a
 *   scan idempotent: a second reading of the same asset — an RFID reader's burst, two scanners at
 *   once — finds the row already scanned and counts as a duplicate, never twice.
 *   `outside`: when first scanned, the register had the asset outside the campaign's location
 *   (unexpected here). `misplaced`: found within the campaign, but not under the location the
 *   scanner said it was at. `resolution`: how a discrepancy was settled.
 * - `fixed_assets_campaign_code`: codes that matched no asset (or several), one row per code.
 * - `fixed_assets_asset.flagged_missing_at`: set when an audit flags the asset missing, cleared when
 *   it is scanned again.
 */
export const verificationMigration: Migration = {
  name: '0004_verification',
  async up(db) {
    await db.execute(`
      CREATE TABLE fixed_assets_campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial NOT NULL UNIQUE,
        name text NOT NULL CHECK (btrim(name) <> ''),
        location_id uuid NOT NULL REFERENCES core_location(id),
        category_id uuid REFERENCES core_category(id),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed','cancelled')),
        due_date date,
        notes text,
        created_by uuid REFERENCES core_user(id),
        created_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        closed_by_label text,
        close_reason text,
        forced boolean NOT NULL DEFAULT false,
        CHECK ((status = 'open') = (closed_at IS NULL))
      );
      CREATE INDEX fixed_assets_campaign_status_idx ON fixed_assets_campaign (status, created_at DESC);
      CREATE INDEX fixed_assets_campaign_location_idx ON fixed_assets_campaign (location_id);

      CREATE TABLE fixed_assets_campaign_line (
        campaign_id uuid NOT NULL REFERENCES fixed_assets_campaign(id),
        asset_id uuid NOT NULL REFERENCES fixed_assets_asset(id),
        expected boolean NOT NULL,
        -- Where the register had the asset: at the snapshot (expected) or at its first scan (not expected).
        registered_location_id uuid REFERENCES core_location(id),
        outside boolean NOT NULL DEFAULT false,
        scanned_at timestamptz,
        scanned_location_id uuid REFERENCES core_location(id),
        scan_code text,
        scan_source text CHECK (scan_source IN ('barcode','rfid','manual')),
        scanned_by_label text,
        misplaced boolean NOT NULL DEFAULT false,
        reads integer NOT NULL DEFAULT 0 CHECK (reads >= 0),
        resolution text CHECK (resolution IN ('moved-here','flagged-missing','marked-lost','ignored')),
        resolution_reason text,
        resolved_at timestamptz,
        resolved_by_label text,
        PRIMARY KEY (campaign_id, asset_id),
        CHECK (expected OR scanned_at IS NOT NULL),
        CHECK ((scanned_at IS NULL) = (reads = 0)),
        CHECK ((resolution IS NULL) = (resolved_at IS NULL))
      );
      CREATE INDEX fixed_assets_campaign_line_asset_idx ON fixed_assets_campaign_line (asset_id);

      CREATE TABLE fixed_assets_campaign_code (
        campaign_id uuid NOT NULL REFERENCES fixed_assets_campaign(id),
        code text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('unknown','ambiguous')),
        location_id uuid REFERENCES core_location(id),
        source text CHECK (source IN ('barcode','rfid','manual')),
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        scanned_by_label text NOT NULL,
        reads integer NOT NULL DEFAULT 1 CHECK (reads > 0),
        PRIMARY KEY (campaign_id, code)
      );

      ALTER TABLE fixed_assets_asset
        ADD COLUMN flagged_missing_at timestamptz,
        ADD COLUMN flagged_missing_campaign_id uuid REFERENCES fixed_assets_campaign(id);
      CREATE INDEX fixed_assets_asset_flagged_missing_idx ON fixed_assets_asset (flagged_missing_at) WHERE flagged_missing_at IS NOT NULL;
    `);
  },
};
