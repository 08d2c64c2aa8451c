import { describe, it, expect } from 'vitest';
import { PARTITION_TABLES, EPC_SCHEMES, EPC_HEADERS, SCHEME_BITS, schemeOfHeader, partitionRow, partitionForCompanyPrefix, filterMeaning } from '../../src/domain/index.js';

// GS1 EPC Tag Data Standard 1.13: headers §14.2 (Table 14-1), partition tables §14.5.1 (SGTIN),
// §14.5.2 (SSCC), §14.5.4 (GRAI), §14.5.5 (GIAI-96 / GIAI-202), filter values §10.1.
describe('partition tables', () => {
  // Every row of a table splits the same bits and digits between prefix and reference.
  const totals = {
    'sgtin-96': { bits: 44, digits: 13 },
    'sgtin-198': { bits: 44, digits: 13 },
    'sscc-96': { bits: 58, digits: 17 },
    'grai-96': { bits: 44, digits: 12 },
    'giai-96': { bits: 82, digits: 25 },
    'giai-202': { bits: 188, digits: 30 },
  } as const;

  it.each(EPC_SCHEMES)('%s: seven rows, 12 down to 6 prefix digits, constant totals', (scheme) => {
    const table = PARTITION_TABLES[scheme];
    expect(table.map((r) => r.partition)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(table.map((r) => r.companyPrefixDigits)).toEqual([12, 11, 10, 9, 8, 7, 6]);
    expect(table.map((r) => r.companyPrefixBits)).toEqual([40, 37, 34, 30, 27, 24, 20]);
    for (const r of table) {
      expect(r.companyPrefixBits + r.referenceBits).toBe(totals[scheme].bits);
      expect(r.companyPrefixDigits + r.referenceDigits).toBe(totals[scheme].digits);
      // The bits hold every value of the digits (10^d − 1 < 2^b).
      expect(10n ** BigInt(r.companyPrefixDigits) - 1n < 1n << BigInt(r.companyPrefixBits)).toBe(true);
    }
    expect(partitionRow(scheme, 7)).toBeUndefined();
    expect(partitionForCompanyPrefix(scheme, 5)).toBeUndefined();
    expect(partitionForCompanyPrefix(scheme, 7)?.partition).toBe(5);
  });

  it('numeric references fit their bits', () => {
    for (const scheme of ['sgtin-96', 'sscc-96', 'grai-96'] as const) {
      for (const r of PARTITION_TABLES[scheme]) expect(10n ** BigInt(r.referenceDigits) - 1n < 1n << BigInt(r.referenceBits)).toBe(true);
    }
    // GIAI-202: 7 bits per character.
    for (const r of PARTITION_TABLES['giai-202']) expect(r.referenceDigits * 7).toBeLessThanOrEqual(r.referenceBits);
  });

  it('headers and lengths', () => {
    expect(EPC_HEADERS).toEqual({ 'sgtin-96': 0x30, 'sscc-96': 0x31, 'grai-96': 0x33, 'giai-96': 0x34, 'sgtin-198': 0x36, 'giai-202': 0x38 });
    expect(SCHEME_BITS['sgtin-198']).toBe(198);
    expect(SCHEME_BITS['giai-202']).toBe(202);
    expect(schemeOfHeader(0x36)).toBe('sgtin-198');
    expect(schemeOfHeader(0x35)).toBeNull();
  });

  it('filter values', () => {
    expect(filterMeaning('sgtin-96', 1)).toBe('Point of sale (POS) trade item');
    expect(filterMeaning('sgtin-198', 6)).toBe('Unit load');
    expect(filterMeaning('sscc-96', 2)).toBe('Logistic / shipping unit');
    expect(filterMeaning('grai-96', 0)).toBe('All others');
    expect(filterMeaning('giai-202', 1)).toBe('Rail vehicle');
  });
});
