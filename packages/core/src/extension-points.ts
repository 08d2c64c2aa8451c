import { createExtensionPoint, createServiceRef } from '@quartermaster/sdk';

export const IDENTIFIER_TYPES = ['sku', 'gtin', 'serial', 'asset-tag', 'epc', 'qr', 'custom'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

/** One reading of a scanned value, e.g. the GTIN inside a GS1 barcode or an EPC inside an RFID hex string. */
export interface IdentifierInterpretation {
  type: IdentifierType;
  value: string;
  /** Anything else the payload carried (lot, expiry, serial…), shown to the user and passed on. */
  data?: Record<string, unknown>;
}

/**
 * Turns a raw scanned value into identifier lookups. The barcode plugin adds GS1 parsing, the RFID
 * plugin EPC decoding. Return an empty array when the value is not yours.
 */
export interface IdentifierParser {
  id: string;
  parse(raw: string): IdentifierInterpretation[];
}

/** Tells the core how to label and link identifiers that point at a plugin's own objects. */
export interface IdentifierTargetResolver {
  /** e.g. `fixed-assets.asset`. */
  targetType: string;
  /** Labels and console links for the given ids; missing ids do not exist. */
  describe(ids: string[]): Promise<Map<string, { label: string; href: string }>>;
}

export const identifierParsers = createExtensionPoint<IdentifierParser>('core.identifierParsers', 'Parsers for scanned values');
export const identifierTargets = createExtensionPoint<IdentifierTargetResolver>('core.identifierTargets', 'Targets of identifiers owned by plugins');

export interface ResolvedIdentifier {
  identifier: { id: string; type: string; value: string };
  target: { type: string; id: string; label: string; href: string };
}

/** Core services other plugins may call. */
export interface IdentifierService {
  /**
   * Attach an identifier inside the caller's transaction (e.g. an RFID tag enrolled to an asset),
   * exactly as `POST /api/core/identifiers`: 400 for a bad value or a missing target, 409
   * `identifier-taken` when the type and value are in use; audit record and
   * `core.identifier.assigned` event commit with the caller's work.
   */
  assign(tx: import('@quartermaster/sdk').Transaction, identifier: { type: IdentifierType; value: string; targetType: string; targetId: string }): Promise<{ id: string; type: string; value: string; targetType: string; targetId: string; createdAt: string }>;
  resolve(value: string): Promise<{ value: string; matches: ResolvedIdentifier[]; interpretations: IdentifierInterpretation[] }>;
}
export const identifierService = createServiceRef<IdentifierService>('core.identifiers');
