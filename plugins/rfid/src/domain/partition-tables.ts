/**
 * Tables of the GS1 EPC Tag Data Standard (TDS 1.13; unchanged in 2.x for these schemes):
 * headers (§14.2), partition tables (§14.5.x) and filter values (§10.1).
 *
 * A partition value says where the GS1 Company Prefix ends and the next field starts, so the
 * same 96 bits can carry a 6-digit prefix with a long reference or a 12-digit one with a short
 * reference. Company prefix plus reference always fill the same number of bits and digits.
 */

export const EPC_SCHEMES = ['sgtin-96', 'sscc-96', 'grai-96', 'giai-96', 'sgtin-198', 'giai-202'] as const;
export type EpcScheme = (typeof EPC_SCHEMES)[number];

/** The pure-identity namespace (`urn:epc:id:<kind>:`) each binary scheme encodes. */
export type EpcKind = 'sgtin' | 'sscc' | 'grai' | 'giai';

export const SCHEME_KIND: Readonly<Record<EpcScheme, EpcKind>> = {
  'sgtin-96': 'sgtin',
  'sgtin-198': 'sgtin',
  'sscc-96': 'sscc',
  'grai-96': 'grai',
  'giai-96': 'giai',
  'giai-202': 'giai',
};

/** TDS §14.2, Table 14-1: the 8-bit header that names the scheme. */
export const EPC_HEADERS: Readonly<Record<EpcScheme, number>> = {
  'sgtin-96': 0x30,
  'sscc-96': 0x31,
  'grai-96': 0x33,
  'giai-96': 0x34,
  'sgtin-198': 0x36,
  'giai-202': 0x38,
};

/** Total length of the binary encoding (header included), TDS §14.5 coding tables. */
export const SCHEME_BITS: Readonly<Record<EpcScheme, number>> = {
  'sgtin-96': 96,
  'sscc-96': 96,
  'grai-96': 96,
  'giai-96': 96,
  'sgtin-198': 198,
  'giai-202': 202,
};

export function schemeOfHeader(header: number): EpcScheme | null {
  for (const scheme of EPC_SCHEMES) if (EPC_HEADERS[scheme] === header) return scheme;
  return null;
}

export interface PartitionRow {
  partition: number;
  companyPrefixBits: number;
  companyPrefixDigits: number;
  /** Bits of the field after the company prefix (item reference, serial reference, asset type, asset reference). */
  referenceBits: number;
  /**
   * Digits of that field; for GIAI-96 the most digits, for GIAI-202 the most characters
   * (the field is a 7-bit string there).
   */
  referenceDigits: number;
}

const rows = (table: ReadonlyArray<readonly [number, number, number, number]>): readonly PartitionRow[] =>
  Object.freeze(
    table.map(([companyPrefixBits, companyPrefixDigits, referenceBits, referenceDigits], partition) =>
      Object.freeze({ partition, companyPrefixBits, companyPrefixDigits, referenceBits, referenceDigits }),
    ),
  );

/** TDS §14.5.1, SGTIN partition table: the reference is indicator digit + item reference (13 − L digits). */
export const SGTIN_PARTITIONS = rows([
  [40, 12, 4, 1],
  [37, 11, 7, 2],
  [34, 10, 10, 3],
  [30, 9, 14, 4],
  [27, 8, 17, 5],
  [24, 7, 20, 6],
  [20, 6, 24, 7],
]);

/** TDS §14.5.2, SSCC partition table: the reference is extension digit + serial reference (17 − L digits). */
export const SSCC_PARTITIONS = rows([
  [40, 12, 18, 5],
  [37, 11, 21, 6],
  [34, 10, 24, 7],
  [30, 9, 28, 8],
  [27, 8, 31, 9],
  [24, 7, 34, 10],
  [20, 6, 38, 11],
]);

/** TDS §14.5.4, GRAI partition table: asset type of 12 − L digits (none with a 12-digit prefix). */
export const GRAI_PARTITIONS = rows([
  [40, 12, 4, 0],
  [37, 11, 7, 1],
  [34, 10, 10, 2],
  [30, 9, 14, 3],
  [27, 8, 17, 4],
  [24, 7, 20, 5],
  [20, 6, 24, 6],
]);

/** TDS §14.5.5.1, GIAI-96 partition table: a numeric individual asset reference. */
export const GIAI_96_PARTITIONS = rows([
  [40, 12, 42, 13],
  [37, 11, 45, 14],
  [34, 10, 48, 15],
  [30, 9, 52, 16],
  [27, 8, 55, 17],
  [24, 7, 58, 18],
  [20, 6, 62, 19],
]);

/** TDS §14.5.5.2, GIAI-202 partition table: a 7-bit string of at most 30 − L characters. */
export const GIAI_202_PARTITIONS = rows([
  [40, 12, 148, 18],
  [37, 11, 151, 19],
  [34, 10, 154, 20],
  [30, 9, 158, 21],
  [27, 8, 161, 22],
  [24, 7, 164, 23],
  [20, 6, 168, 24],
]);

export const PARTITION_TABLES: Readonly<Record<EpcScheme, readonly PartitionRow[]>> = {
  'sgtin-96': SGTIN_PARTITIONS,
  'sgtin-198': SGTIN_PARTITIONS,
  'sscc-96': SSCC_PARTITIONS,
  'grai-96': GRAI_PARTITIONS,
  'giai-96': GIAI_96_PARTITIONS,
  'giai-202': GIAI_202_PARTITIONS,
};

/** Row for a partition value; `undefined` for 7, which every table leaves unassigned. */
export function partitionRow(scheme: EpcScheme, partition: number): PartitionRow | undefined {
  return PARTITION_TABLES[scheme][partition];
}

/** Row for a company prefix of `digits` digits; `undefined` outside 6–12. */
export function partitionForCompanyPrefix(scheme: EpcScheme, digits: number): PartitionRow | undefined {
  return PARTITION_TABLES[scheme].find((row) => row.companyPrefixDigits === digits);
}

/**
 * Filter values, TDS §10.1 (Tables 10-1 to 10-4 in 1.13): a hint to readers about the kind of
 * object, so a reader can skip e.g. pallets. Reserved values still fit the 3-bit field and are
 * decoded; they are only labelled as reserved.
 */
export const FILTER_VALUES: Readonly<Record<EpcKind, readonly string[]>> = {
  sgtin: [
    'All others',
    'Point of sale (POS) trade item',
    'Full case for transport',
    'Reserved',
    'Inner pack trade item grouping for handling',
    'Reserved',
    'Unit load',
    'Unit inside trade item or component inside a product not intended for individual sale',
  ],
  sscc: ['All others', 'Undefined', 'Logistic / shipping unit', 'Reserved', 'Reserved', 'Reserved', 'Reserved', 'Reserved'],
  grai: ['All others', 'Reserved', 'Reserved', 'Reserved', 'Reserved', 'Reserved', 'Reserved', 'Reserved'],
  giai: ['All others', 'Rail vehicle', 'Reserved', 'Reserved', 'Reserved', 'Reserved', 'Reserved', 'Reserved'],
};

export function filterMeaning(scheme: EpcScheme, filter: number): string {
  return FILTER_VALUES[SCHEME_KIND[scheme]][filter] ?? 'Invalid';
}
