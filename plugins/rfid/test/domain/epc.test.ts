import { describe, it, expect } from 'vitest';
import { decodeEpc, encodeEpc, epcFromGs1, gs1CheckDigit, EpcError, SGTIN_PARTITIONS, type EpcScheme } from '../../src/domain/index.js';

/** Runs `fn`, expects an EpcError with `code`, returns it for further checks. */
function epcError(fn: () => unknown, code: string): EpcError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EpcError);
    expect((e as EpcError).code).toBe(code);
    expect((e as EpcError).reason.length).toBeGreaterThan(10);
    return e as EpcError;
  }
  throw new Error(`expected EpcError ${code}, nothing was thrown`);
}

describe('SGTIN-96 — GS1 EPC Tag Data Standard 1.13, Appendix E "Example of encoding and decoding the SGTIN-96" (E.1, E.2)', () => {
  // Appendix E / §14.5.1.1:
  //   header 0x30              00110000
  //   filter 3                 011
  //   partition 5 (7-digit GS1 Company Prefix, 24 bits; 6-digit item reference, 20 bits)   101
  //   company prefix 0614141 = 0x095EFD   0000 1001 0101 1110 1111 1101   (24 bits)
  //   item ref 812345 = 0xC6539           1100 0110 0101 0011 1001        (20 bits)
  //   serial 6789 = 0x1A85                (38 bits, 25 leading zeros)
  //   → 00110000 01110100 00100101 01111011 11110111 00011001 01001110 01000000 00…00011010 10000101
  //   = 30 74 25 7B F7 19 4E 40 00 00 1A 85
  const hex = '3074257BF7194E4000001A85';
  const tagUri = 'urn:epc:tag:sgtin-96:3.0614141.812345.6789';

  it('decodes the hex to the tag URI, pure identity, GTIN-14 and element string', () => {
    const d = decodeEpc(hex);
    expect(d).toMatchObject({
      scheme: 'sgtin-96',
      filter: 3,
      partition: 5,
      companyPrefix: '0614141',
      itemReference: '812345',
      serial: '6789',
      tagUri,
      pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789',
      // TDS §7.1 example: (01) 80614141123458 (21) 6789 ↔ urn:epc:id:sgtin:0614141.812345.6789 —
      // the indicator digit 8 moves to the front, check digit 8 appended.
      gtin: '80614141123458',
      hri: '(01)80614141123458(21)6789',
      elementString: '0180614141123458216789',
    });
  });

  it('encodes the tag URI to the hex', () => {
    expect(encodeEpc({ tagUri })).toEqual({ hex, tagUri, pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', partition: 5, filter: 3, scheme: 'sgtin-96' });
  });

  it('encodes the pure-identity URI given scheme and filter', () => {
    expect(encodeEpc({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sgtin-96', filter: 3 }).hex).toBe(hex);
  });

  it('encodes from the GS1 key when the company prefix length is known (§7.1)', () => {
    expect(epcFromGs1({ gtin: '80614141123458', serial: '6789' }, { companyPrefixLength: 7, filter: 3 })).toMatchObject({ hex, tagUri, scheme: 'sgtin-96' });
  });

  it('accepts lowercase hex and returns it uppercase', () => {
    expect(decodeEpc(hex.toLowerCase()).hex).toBe(hex);
  });
});

describe('SGTIN-96 — all seven partitions (TDS §14.5.1 SGTIN partition table)', () => {
  // One GTIN-14, 80614141123458, read with company prefixes of 12 down to 6 digits: the same
  // GS1 key, a different split and a different partition value each time.
  const gtin = '80614141123458';
  const cases = [12, 11, 10, 9, 8, 7, 6].map((L) => ({ L, partition: 12 - L, cp: gtin.slice(1, 1 + L), ref: gtin[0] + gtin.slice(1 + L, 13) }));

  it.each(cases)('company prefix of $L digits → partition $partition', ({ L, partition, cp, ref }) => {
    const enc = epcFromGs1({ gtin, serial: '6789' }, { companyPrefixLength: L, filter: 1 });
    expect(enc.partition).toBe(partition);
    expect(enc.pureIdentityUri).toBe(`urn:epc:id:sgtin:${cp}.${ref}.6789`);
    const dec = decodeEpc(enc.hex);
    expect(dec).toMatchObject({ partition, companyPrefix: cp, gtin, serial: '6789', tagUri: enc.tagUri });
    expect(encodeEpc({ tagUri: dec.tagUri }).hex).toBe(enc.hex);
    // The partition value sits in bits 11–13 (after 8 header + 3 filter bits).
    expect((parseInt(enc.hex.slice(2, 4), 16) >> 2) & 0b111).toBe(partition);
    expect(SGTIN_PARTITIONS[partition].companyPrefixDigits).toBe(L);
  });

  it('partition 0 (12-digit prefix) by hand', () => {
    // header 00110000, filter 011, partition 000,
    // company prefix 061414112345 = 0x0E4C90FC59 in 40 bits, item reference "8" in 4 bits (1000),
    // serial 6789 in 38 bits:
    // 00110000 01100000 00111001 00110010 01000011 11110001 01100110 00000000 …0x00001A85
    expect(encodeEpc({ tagUri: 'urn:epc:tag:sgtin-96:3.061414112345.8.6789' }).hex).toBe('3060393243F1660000001A85');
  });

  it('partition 6 (6-digit prefix) by hand', () => {
    // header 00110000, filter 011, partition 110,
    // company prefix 061414 = 0x0EFE6 in 20 bits, item reference 8112345 = 0x7BC8D9 in 24 bits,
    // serial 6789 in 38 bits:
    // 00110000 01111000 00111011 11111001 10011110 11110010 00110110 01000000 …0x00001A85
    expect(encodeEpc({ tagUri: 'urn:epc:tag:sgtin-96:3.061414.8112345.6789' }).hex).toBe('30783BF99EF2364000001A85');
  });
});

describe('SSCC-96 (TDS §14.5.2; GS1 key mapping §7.2)', () => {
  // header 0x31 00110001, filter 3 011, partition 5 101,
  // company prefix 0614141 = 0x095EFD (24 bits), serial reference 1234567890 = 0x499602D2 (34 bits),
  // 24 unallocated zero bits:
  // 00110001 01110100 00100101 01111011 111101|00 0x499602D2 000000000000000000000000
  // = 31 74 25 7B F4 49 96 02 D2 00 00 00
  const hex = '3174257BF4499602D2000000';

  it('encodes and decodes the worked value', () => {
    expect(encodeEpc({ tagUri: 'urn:epc:tag:sscc-96:3.0614141.1234567890' }).hex).toBe(hex);
    expect(decodeEpc(hex)).toMatchObject({
      scheme: 'sscc-96',
      filter: 3,
      partition: 5,
      companyPrefix: '0614141',
      serialReference: '1234567890',
      pureIdentityUri: 'urn:epc:id:sscc:0614141.1234567890',
      // Extension digit 1 moves to the front; check digit over 10614141234567890 is 8.
      sscc: '106141412345678908',
      hri: '(00)106141412345678908',
      elementString: '00106141412345678908',
    });
  });

  it('encodes from the SSCC-18 (§7.2: extension digit + company prefix + serial reference + check digit)', () => {
    expect(epcFromGs1({ sscc: '106141412345678908' }, { companyPrefixLength: 7, filter: 3 }).hex).toBe(hex);
  });

  it('rejects non-zero unallocated bits', () => {
    epcError(() => decodeEpc('3174257BF4499602D2000001'), 'reserved-bits');
  });
});

describe('GRAI-96 (TDS §14.5.4; GS1 key mapping §7.4)', () => {
  // header 0x33 00110011, filter 3 011, partition 5 101,
  // company prefix 0614141 = 0x095EFD (24 bits), asset type 12345 = 0x03039 (20 bits),
  // serial 400 = 0x190 (38 bits):
  // 00110011 01110100 00100101 01111011 111101|00 00001100 00001110 01|000000 0x00000190
  // = 33 74 25 7B F4 0C 0E 40 00 00 01 90
  const hex = '3374257BF40C0E4000000190';

  it('encodes and decodes the worked value', () => {
    expect(encodeEpc({ tagUri: 'urn:epc:tag:grai-96:3.0614141.12345.400' }).hex).toBe(hex);
    expect(decodeEpc(hex)).toMatchObject({
      scheme: 'grai-96',
      companyPrefix: '0614141',
      assetType: '12345',
      serial: '400',
      pureIdentityUri: 'urn:epc:id:grai:0614141.12345.400',
      // §7.4: (8003) is 0 + the 12 digits + check digit + serial. Check digit over 061414112345:
      // 3·(5+3+1+4+4+6) + (4+2+1+1+1+0) = 69 + 9 = 78 → 2.
      grai: '00614141123452400',
      hri: '(8003)00614141123452400',
    });
  });

  it('encodes from the AI (8003) value', () => {
    expect(epcFromGs1({ grai: '00614141123452400' }, { companyPrefixLength: 7, filter: 3 }).hex).toBe(hex);
  });

  it('a 12-digit company prefix leaves an empty asset type (partition 0)', () => {
    const enc = encodeEpc({ tagUri: 'urn:epc:tag:grai-96:0.061414112345..7' });
    expect(enc.partition).toBe(0);
    const dec = decodeEpc(enc.hex);
    expect(dec).toMatchObject({ assetType: '', serial: '7', grai: '006141411234527', pureIdentityUri: 'urn:epc:id:grai:061414112345..7' });
  });
});

describe('GIAI-96 (TDS §14.5.5.1; GS1 key mapping §7.5)', () => {
  // header 0x34 00110100, filter 3 011, partition 5 101, company prefix 0614141 = 0x095EFD (24 bits),
  // individual asset reference 12345400 = 0xBC6038 (58 bits):
  // 00110100 01110100 00100101 01111011 111101|00 00…0 0xBC6038 = 34 74 25 7B F4 00 00 00 00 BC 60 38
  const hex = '3474257BF400000000BC6038';

  it('encodes and decodes the worked value', () => {
    expect(encodeEpc({ tagUri: 'urn:epc:tag:giai-96:3.0614141.12345400' }).hex).toBe(hex);
    expect(decodeEpc(hex)).toMatchObject({
      scheme: 'giai-96',
      companyPrefix: '0614141',
      individualAssetReference: '12345400',
      pureIdentityUri: 'urn:epc:id:giai:0614141.12345400',
      giai: '061414112345400',
      hri: '(8004)061414112345400',
    });
  });

  it('encodes from the AI (8004) value and picks giai-96 for a numeric reference', () => {
    expect(epcFromGs1({ giai: '061414112345400' }, { companyPrefixLength: 7, filter: 3 })).toMatchObject({ hex, scheme: 'giai-96' });
  });

  it('the largest reference of each partition fits; one more does not', () => {
    // Partition 6: 62 bits → 2^62 − 1 = 4611686018427387903.
    const ok = encodeEpc({ tagUri: 'urn:epc:tag:giai-96:0.061414.4611686018427387903' });
    expect(ok.hex).toBe(encodeEpc({ pureIdentityUri: 'urn:epc:id:giai:061414.4611686018427387903', scheme: 'giai-96', filter: 0 }).hex);
    expect(decodeEpc(ok.hex)).toMatchObject({ individualAssetReference: '4611686018427387903' });
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:giai-96:0.061414.4611686018427387904' }), 'value-too-large');
  });
});

describe('SGTIN-198 (TDS §14.5.1.2; 7-bit string encoding §14.3.3)', () => {
  // header 0x36 00110110, filter 3 011, partition 5 101, company prefix 0x095EFD (24 bits),
  // item reference 812345 = 0xC6539 (20 bits), serial "ABC" = 1000001 1000010 1000011 then zeros to 140 bits:
  // 00110110 01110100 00100101 01111011 11110111 00011001 01001110 01|100000 11000010 1000011|0 0…
  // = 36 74 25 7B F7 19 4E 60 C2 86 00…  (198 bits, padded to 208 = 13 words = 52 hex digits)
  const hex = '3674257BF7194E60C286' + '0'.repeat(32);

  it('encodes and decodes an alphanumeric serial', () => {
    expect(encodeEpc({ tagUri: 'urn:epc:tag:sgtin-198:3.0614141.812345.ABC' }).hex).toBe(hex);
    expect(decodeEpc(hex)).toMatchObject({ scheme: 'sgtin-198', serial: 'ABC', gtin: '80614141123458', hri: '(01)80614141123458(21)ABC' });
  });

  it('accepts the 50-digit (nibble-aligned) form of the same EPC', () => {
    expect(decodeEpc(hex.slice(0, 50)).hex).toBe(hex);
  });

  it('carries %-escaped characters in URIs and plain ones in the element string (TDS §5, Table A-1)', () => {
    const enc = encodeEpc({ tagUri: 'urn:epc:tag:sgtin-198:3.0614141.812345.%22%25%26%2F%3C%3E%3F' });
    const dec = decodeEpc(enc.hex);
    expect(dec).toMatchObject({ serial: '"%&/<>?', hri: '(01)80614141123458(21)"%&/<>?' });
    expect(dec.tagUri).toBe('urn:epc:tag:sgtin-198:3.0614141.812345.%22%25%26%2F%3C%3E%3F');
    // Lowercase escapes are read; output is canonical uppercase.
    expect(encodeEpc({ tagUri: 'urn:epc:tag:sgtin-198:3.0614141.812345.a%2fb' }).tagUri).toBe('urn:epc:tag:sgtin-198:3.0614141.812345.a%2Fb');
  });

  it('a serial may contain dots', () => {
    const enc = encodeEpc({ tagUri: 'urn:epc:tag:sgtin-198:3.0614141.812345.1.2.3' });
    expect(decodeEpc(enc.hex)).toMatchObject({ serial: '1.2.3' });
  });

  it('epcFromGs1 picks sgtin-198 for serials SGTIN-96 cannot carry', () => {
    expect(epcFromGs1({ gtin: '80614141123458', serial: 'ABC' }, { companyPrefixLength: 7, filter: 3 })).toMatchObject({ hex, scheme: 'sgtin-198' });
    expect(epcFromGs1({ gtin: '80614141123458', serial: '0123' }, { companyPrefixLength: 7, filter: 3 }).scheme).toBe('sgtin-198');
    expect(epcFromGs1({ gtin: '80614141123458', serial: '274877906944' }, { companyPrefixLength: 7, filter: 3 }).scheme).toBe('sgtin-198');
  });

  it('rejects a 21-character serial and characters outside the set', () => {
    epcError(() => encodeEpc({ tagUri: `urn:epc:tag:sgtin-198:3.0614141.812345.${'A'.repeat(21)}` }), 'value-too-large');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-198:3.0614141.812345.A#B' }), 'invalid-character');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-198:3.0614141.812345.A B' }), 'invalid-character');
    // '/' is in the set but must be escaped in a URI.
    const e = epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-198:3.0614141.812345.A/B' }), 'invalid-character');
    expect(e.reason).toContain('%2F');
    // %20 (space) and %23 ('#') are well-formed escapes of characters outside Table A-1.
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-198:3.0614141.812345.A%20B' }), 'invalid-character');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-198:3.0614141.812345.A%G1' }), 'invalid-character');
    epcError(() => epcFromGs1({ gtin: '80614141123458', serial: 'A#B' }, { companyPrefixLength: 7, filter: 3 }), 'invalid-character');
  });

  it('rejects binary strings that break the String coding rules', () => {
    // 'A', 0x20 (space), 'B': a space is not in Table A-1.
    epcError(() => decodeEpc('3674257BF7194E60A084' + '0'.repeat(32)), 'invalid-character');
    // 'A', terminator, 'B': non-zero bits after the terminating all-zero character.
    epcError(() => decodeEpc('3674257BF7194E608084' + '0'.repeat(32)), 'reserved-bits');
    // No characters at all.
    epcError(() => decodeEpc('3674257BF7194E40' + '0'.repeat(36)), 'invalid-serial');
  });
});

describe('GIAI-202 (TDS §14.5.5.2)', () => {
  // header 0x38 00111000, filter 1 001, partition 5 101, company prefix 0x095EFD (24 bits),
  // reference "A/1" = 1000001 0101111 0110001 then zeros to 164 bits:
  // 00111000 00110100 00100101 01111011 111101|10 00001|010 1111|0110 001|00000 0…
  // = 38 34 25 7B F6 0A F6 20 00…  (202 bits padded to 208 = 52 hex digits)
  const hex = '3834257BF60AF620' + '0'.repeat(36);

  it('encodes and decodes the worked value', () => {
    expect(encodeEpc({ tagUri: 'urn:epc:tag:giai-202:1.0614141.A%2F1' }).hex).toBe(hex);
    expect(decodeEpc(hex)).toMatchObject({
      scheme: 'giai-202',
      filter: 1,
      filterMeaning: 'Rail vehicle',
      individualAssetReference: 'A/1',
      giai: '0614141A/1',
      pureIdentityUri: 'urn:epc:id:giai:0614141.A%2F1',
      hri: '(8004)0614141A/1',
    });
  });

  it('epcFromGs1 picks giai-202 for references GIAI-96 cannot carry', () => {
    expect(epcFromGs1({ giai: '0614141A/1' }, { companyPrefixLength: 7, filter: 1 })).toMatchObject({ hex, scheme: 'giai-202' });
    expect(epcFromGs1({ giai: '06141410042' }, { companyPrefixLength: 7, filter: 0 }).scheme).toBe('giai-202');
  });

  it('the reference may be 30 − L characters long, no more', () => {
    const ok = encodeEpc({ tagUri: `urn:epc:tag:giai-202:0.0614141.${'Z'.repeat(23)}` });
    expect(decodeEpc(ok.hex)).toMatchObject({ individualAssetReference: 'Z'.repeat(23) });
    epcError(() => encodeEpc({ tagUri: `urn:epc:tag:giai-202:0.0614141.${'Z'.repeat(24)}` }), 'value-too-large');
    // With a 6-digit prefix the field is 168 bits = 24 characters exactly.
    expect(decodeEpc(encodeEpc({ tagUri: `urn:epc:tag:giai-202:0.061414.${'z'.repeat(24)}` }).hex)).toMatchObject({ partition: 6 });
  });

  it('rejects non-zero padding after the 202 bits', () => {
    epcError(() => decodeEpc(hex.slice(0, -1) + '1'), 'reserved-bits');
  });
});

describe('round trips hex → URI → hex for every scheme', () => {
  const vectors: Array<[EpcScheme, string]> = [
    ['sgtin-96', '3074257BF7194E4000001A85'],
    ['sgtin-96', '3060393243F1660000001A85'],
    ['sgtin-96', '30783BF99EF2364000001A85'],
    ['sscc-96', '3174257BF4499602D2000000'],
    ['grai-96', '3374257BF40C0E4000000190'],
    ['giai-96', '3474257BF400000000BC6038'],
    ['sgtin-198', '3674257BF7194E60C286' + '0'.repeat(32)],
    ['giai-202', '3834257BF60AF620' + '0'.repeat(36)],
  ];
  it.each(vectors)('%s %s', (scheme, hex) => {
    const d = decodeEpc(hex);
    expect(d.scheme).toBe(scheme);
    expect(encodeEpc({ tagUri: d.tagUri }).hex).toBe(hex);
    expect(encodeEpc({ pureIdentityUri: d.pureIdentityUri, scheme, filter: d.filter }).hex).toBe(hex);
    expect(decodeEpc(encodeEpc({ tagUri: d.tagUri }).hex)).toEqual(d);
  });

  it('every filter value survives the trip', () => {
    for (let filter = 0; filter <= 7; filter++) {
      const enc = encodeEpc({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sgtin-96', filter });
      expect(decodeEpc(enc.hex).filter).toBe(filter);
      expect(enc.tagUri).toBe(`urn:epc:tag:sgtin-96:${filter}.0614141.812345.6789`);
    }
  });
});

describe('decodeEpc rejects', () => {
  it('unknown headers', () => {
    // 0x35 is GID-96, 0xE2 is a TID class identifier: neither is a scheme handled here.
    expect(epcError(() => decodeEpc('350000000000000000000000'), 'unknown-header').reason).toContain('0x35');
    epcError(() => decodeEpc('E28011606000020A1B2C3D4E'), 'unknown-header');
  });

  it('a length that does not match the header', () => {
    epcError(() => decodeEpc('3074257BF7194E4000001A'), 'wrong-length');
    epcError(() => decodeEpc('3074257BF7194E4000001A850000'), 'wrong-length');
    epcError(() => decodeEpc('3674257BF7194E60C286'), 'wrong-length');
  });

  it('non-hex text', () => {
    epcError(() => decodeEpc('3074257BF7194E4000001AZ5'), 'invalid-hex');
    epcError(() => decodeEpc(''), 'invalid-hex');
  });

  it('partition value 7', () => {
    // Byte 2 = filter 011, partition 111, 00 → 0x7C.
    expect(epcError(() => decodeEpc('307C257BF7194E4000001A85'), 'reserved-partition').reason).toContain('7');
    epcError(() => decodeEpc('347C00000000000000000000'), 'reserved-partition');
  });

  it('a company prefix or item reference larger than its digits allow', () => {
    // Partition 5, company prefix field 0xFFFFFF = 16777215: 8 digits in a 7-digit field.
    epcError(() => decodeEpc('3077FFFFFF194E4000000001'), 'invalid-company-prefix');
    // Partition 5, item reference field 0xFFFFF = 1048575: 7 digits in a 6-digit field.
    epcError(() => decodeEpc('3074257BF7FFFFC000000001'), 'invalid-reference');
  });
});

describe('encodeEpc rejects', () => {
  const sgtin = (serial: string) => `urn:epc:tag:sgtin-96:3.0614141.812345.${serial}`;

  it('SGTIN-96 serials that are not a decimal without leading zeros below 2^38 (TDS §14.5.1.1)', () => {
    expect(encodeEpc({ tagUri: sgtin('274877906943') }).hex).toBe('3074257BF7194E7FFFFFFFFF');
    expect(encodeEpc({ tagUri: sgtin('0') }).hex).toBe('3074257BF7194E4000000000');
    epcError(() => encodeEpc({ tagUri: sgtin('274877906944') }), 'value-too-large');
    epcError(() => encodeEpc({ tagUri: sgtin('A1') }), 'invalid-serial');
    expect(epcError(() => encodeEpc({ tagUri: sgtin('06789') }), 'invalid-serial').reason).toContain('leading zeros');
    epcError(() => encodeEpc({ tagUri: sgtin('') }), 'invalid-serial');
  });

  it('non-numeric or zero-led GIAI-96 references', () => {
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:giai-96:3.0614141.A12' }), 'invalid-reference');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:giai-96:3.0614141.012' }), 'invalid-reference');
  });

  it('GRAI-96 serials that are not numeric', () => {
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:grai-96:3.0614141.12345.A1' }), 'invalid-serial');
  });

  it('references whose length does not fit the partition', () => {
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-96:3.0614141.8123456.1' }), 'invalid-reference');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-96:3.0614141.81234.1' }), 'invalid-reference');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sscc-96:3.0614141.123456789' }), 'invalid-reference');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:grai-96:3.0614141.1234.1' }), 'invalid-reference');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-96:3.0614141.81234X.1' }), 'invalid-reference');
  });

  it('company prefixes outside 6–12 digits', () => {
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-96:3.06141.81234567.1' }), 'invalid-company-prefix');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sscc-96:3.0614141234567.1234' }), 'invalid-company-prefix');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:giai-96:3.06A4141.1' }), 'invalid-company-prefix');
  });

  it('filters outside 0–7', () => {
    epcError(() => encodeEpc({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sgtin-96', filter: 8 }), 'invalid-filter');
    epcError(() => encodeEpc({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sgtin-96', filter: -1 }), 'invalid-filter');
    epcError(() => encodeEpc({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sgtin-96', filter: 1.5 }), 'invalid-filter');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-96:8.0614141.812345.6789' }), 'invalid-filter');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-96:x.0614141.812345.6789' }), 'invalid-filter');
  });

  it('URIs of another form or scheme', () => {
    epcError(() => encodeEpc({ tagUri: 'urn:epc:id:sgtin:0614141.812345.6789' }), 'invalid-uri');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgln-96:3.0614141.12345.0' }), 'invalid-uri');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sgtin-96:3.0614141.812345' }), 'invalid-uri');
    epcError(() => encodeEpc({ tagUri: 'urn:epc:tag:sscc-96:3.0614141.1234567890.1' }), 'invalid-uri');
    epcError(() => encodeEpc({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sscc-96', filter: 0 }), 'scheme-mismatch');
    epcError(() => encodeEpc({ pureIdentityUri: 'urn:epc:id:gid:1.2.3', scheme: 'sgtin-96', filter: 0 }), 'invalid-uri');
    epcError(() => encodeEpc({ pureIdentityUri: 'urn:epc:tag:sgtin-96:3.0614141.812345.6789', scheme: 'sgtin-96', filter: 0 }), 'invalid-uri');
  });
});

describe('epcFromGs1', () => {
  it('takes GTIN-13 as a GTIN-14 with a leading zero', () => {
    // GTIN-13 0614141123452 (check digit 2, see GRAI arithmetic above) → indicator 0.
    expect(epcFromGs1({ gtin: '0614141123452', serial: '1' }, { companyPrefixLength: 7, filter: 1 }).pureIdentityUri).toBe('urn:epc:id:sgtin:0614141.012345.1');
  });

  it('rejects bad keys and options', () => {
    expect(epcError(() => epcFromGs1({ gtin: '80614141123457', serial: '1' }, { companyPrefixLength: 7, filter: 3 }), 'check-digit').reason).toContain('expected 8');
    epcError(() => epcFromGs1({ gtin: '8061414112345', serial: '1' }, { companyPrefixLength: 7, filter: 3 }), 'check-digit');
    epcError(() => epcFromGs1({ gtin: '806141411234', serial: '1' }, { companyPrefixLength: 7, filter: 3 }), 'check-digit');
    epcError(() => epcFromGs1({ gtin: '8061414112345X', serial: '1' }, { companyPrefixLength: 7, filter: 3 }), 'invalid-gs1-key');
    epcError(() => epcFromGs1({ sscc: '106141412345678909' }, { companyPrefixLength: 7, filter: 3 }), 'check-digit');
    epcError(() => epcFromGs1({ sscc: '10614141234567890' }, { companyPrefixLength: 7, filter: 3 }), 'invalid-gs1-key');
    epcError(() => epcFromGs1({ grai: '00614141123452' }, { companyPrefixLength: 7, filter: 3 }), 'invalid-serial');
    epcError(() => epcFromGs1({ grai: '10614141123452400' }, { companyPrefixLength: 7, filter: 3 }), 'invalid-gs1-key');
    epcError(() => epcFromGs1({ grai: '00614141123453400' }, { companyPrefixLength: 7, filter: 3 }), 'check-digit');
    epcError(() => epcFromGs1({ grai: '00614141123452A1' }, { companyPrefixLength: 7, filter: 3 }), 'invalid-serial');
    epcError(() => epcFromGs1({ giai: '0614141' }, { companyPrefixLength: 7, filter: 3 }), 'invalid-gs1-key');
    epcError(() => epcFromGs1({ giai: '0614141' + '1'.repeat(24) }, { companyPrefixLength: 7, filter: 3 }), 'invalid-gs1-key');
    epcError(() => epcFromGs1({ gtin: '80614141123458', serial: '1' }, { companyPrefixLength: 5, filter: 3 }), 'invalid-company-prefix');
    epcError(() => epcFromGs1({ gtin: '80614141123458', serial: '1' }, { companyPrefixLength: 13, filter: 3 }), 'invalid-company-prefix');
    epcError(() => epcFromGs1({ gtin: '80614141123458', serial: '1' }, { companyPrefixLength: 7, filter: 9 }), 'invalid-filter');
    epcError(() => epcFromGs1({ gtin: '80614141123458', serial: '1' }, { companyPrefixLength: 7, filter: 3, scheme: 'giai-96' }), 'scheme-mismatch');
    epcError(() => epcFromGs1({ gtin: '80614141123458', serial: 'A' }, { companyPrefixLength: 7, filter: 3, scheme: 'sgtin-96' }), 'invalid-serial');
    epcError(() => epcFromGs1({ giai: '0614141A1' }, { companyPrefixLength: 7, filter: 3, scheme: 'giai-96' }), 'invalid-reference');
  });
});

describe('gs1CheckDigit (GS1 General Specifications §7.9.1)', () => {
  it('computes the check digit of the worked keys', () => {
    expect(gs1CheckDigit('8061414112345')).toBe(8);
    expect(gs1CheckDigit('10614141234567890')).toBe(8);
    expect(gs1CheckDigit('061414112345')).toBe(2);
    // A sum that is already a multiple of 10 gives 0, not 10.
    expect(gs1CheckDigit('0000000000000')).toBe(0);
  });
});
