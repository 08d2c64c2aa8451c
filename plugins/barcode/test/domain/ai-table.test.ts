import { describe, it, expect } from 'vitest';
import { AI_TABLE, findAi, getAi, PREDEFINED_LENGTH_PREFIXES, checkAiValue } from '../../src/domain/index.js';
import { expectGs1Error } from './helpers.js';

/*
 * Source: GS1 General Specifications §3.2 (AI table) and Figure 7.8.5-2 (predefined-length AIs), as
 * decomposed in the GS1 Barcode Syntax Dictionary (GS1 AISBL, 2025).
 */
const range = (from: number, to: number, width = 4): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(width, '0'));

describe('AI table coverage (GS1 General Specifications §3.2)', () => {
  it('has every AI the issue lists', () => {
    const measures = ['310', '311', '312', '313', '314', '315', '316', '320', '321', '322', '323', '324', '325', '326', '327', '328', '329',
      '330', '331', '332', '333', '334', '335', '336', '337', '340', '341', '342', '343', '344', '345', '346', '347', '348', '349',
      '350', '351', '352', '353', '354', '355', '356', '357', '360', '361', '362', '363', '364', '365', '366', '367', '368', '369']
      .flatMap((p) => range(0, 5, 1).map((n) => p + n));
    const wanted = [
      '00', '01', '02', '10', '11', '12', '13', '15', '16', '17', '20', '21', '22', '235', '240', '241', '242', '243', '250', '251', '253', '254', '255', '30',
      ...measures, '37', ...range(3900, 3909), ...range(3910, 3919), ...range(3920, 3929), ...range(3930, 3939), ...range(3940, 3943), ...range(3950, 3955),
      '400', '401', '402', '403', ...range(410, 417, 3), ...range(420, 427, 3), ...range(4300, 4326), ...range(4330, 4333),
      ...range(7001, 7011), ...range(7020, 7023), '7040', ...range(710, 716, 3), ...range(7230, 7239), '7240', '7241', '7242', ...range(7250, 7259),
      ...range(8001, 8014), '8017', '8018', '8019', '8020', '8026', '8030', '8110', '8111', '8112', '8200', '90', ...range(91, 99, 2),
    ];
    const missing = wanted.filter((ai) => !findAi(ai));
    expect(missing).toEqual([]);
  });

  it('has 536 AIs in all', () => {
    // 00–03: 4; 10–22 (10,11,12,13,15,16,17,20,21,22): 10; 235–255: 10; 30: 1; 53 measure families
    // × 6 (310–316: 7, 320–329: 10, 330–337: 8, 340–349: 10, 350–357: 8, 360–369: 10): 318; 37: 1;
    // 390n–395n: 10+10+10+10+4+6 = 50; 400–403: 4; 410–417: 8; 420–427: 8; 4300–4326: 27; 4330–4333: 4;
    // 7001–7011: 11; 7020–7023: 4; 7030–7039: 10; 7040, 7041: 2; 710–716: 7; 7230–7239: 10;
    // 7240–7242: 3; 7250–7259: 10; 8001–8014: 14; 8017, 8018, 8019, 8020, 8026, 8030: 6;
    // 8110, 8111, 8112, 8200: 4; 90–99: 10.  Sum = 536.
    expect(AI_TABLE.length).toBe(536);
  });

  it('does not know AIs GS1 never assigned or withdrew', () => {
    for (const ai of ['04', '14', '18', '19', '23', '3106', '3944', '3956', '418', '4334', '7012', '8015', '8016', '8021', '8100']) {
      expect(findAi(ai), ai).toBeUndefined();
    }
    expectGs1Error(() => getAi('3106'), 'unknown-ai', { ai: '3106', message: /Unknown Application Identifier \(3106\)/ });
  });

  it('is in numerical order', () => {
    const ais = AI_TABLE.map((d) => d.ai);
    expect([...ais].sort()).toEqual(ais);
  });
});

describe('AI definitions', () => {
  it('titles are the GS1 data titles', () => {
    expect(getAi('00').title).toBe('SSCC');
    expect(getAi('01').title).toBe('GTIN');
    expect(getAi('10').title).toBe('BATCH/LOT');
    expect(getAi('17').title).toBe('USE BY or EXPIRY');
    expect(getAi('3103').title).toBe('NET WEIGHT (kg)');
    expect(getAi('8004').title).toBe('GIAI');
    expect(getAi('7030').title).toBe('PROCESSOR # 0');
    expect(getAi('7239').title).toBe('CERT # 10');
    expect(getAi('714').title).toBe('NHRN AIM');
    expect(getAi('716').title).toBe('NHRN AIC');
  });

  it('formats read like the General Specifications', () => {
    expect(getAi('00').format).toBe('N2+N18');
    expect(getAi('01').format).toBe('N2+N14');
    expect(getAi('10').format).toBe('N2+X..20');
    expect(getAi('3103').format).toBe('N4+N6');
    expect(getAi('253').format).toBe('N3+N13+[X..17]');
    expect(getAi('421').format).toBe('N3+N3+X..9');
    expect(getAi('8003').format).toBe('N4+N1+N13+[X..16]');
    expect(getAi('91').format).toBe('N2+X..90');
  });

  it('character sets: N, X (set 82), Y (set 39) for CPID, Z (base64url) for DigSig', () => {
    expect(getAi('01').components[0].charset).toBe('N');
    expect(getAi('21').components[0].charset).toBe('X');
    expect(getAi('8010').components[0].charset).toBe('Y');
    expect(getAi('8030').components[0].charset).toBe('Z');
  });

  it('lengths: fixed and variable', () => {
    expect(getAi('00')).toMatchObject({ minLength: 18, maxLength: 18, fixedLength: true });
    expect(getAi('10')).toMatchObject({ minLength: 1, maxLength: 20, fixedLength: false });
    expect(getAi('253')).toMatchObject({ minLength: 13, maxLength: 30, fixedLength: false });
    expect(getAi('402')).toMatchObject({ minLength: 17, maxLength: 17, fixedLength: true });
  });

  it('predefined length (no FNC1) exactly for AIs starting 00–04, 11–20, 31–36, 41 (Figure 7.8.5-2)', () => {
    for (const d of AI_TABLE) {
      expect(d.predefinedLength, d.ai).toBe(d.ai.slice(0, 2) in PREDEFINED_LENGTH_PREFIXES);
      expect(d.fnc1Required, d.ai).toBe(!d.predefinedLength);
    }
    expect(getAi('17').fnc1Required).toBe(false);
    expect(getAi('414').fnc1Required).toBe(false);
    // fixed length but not in Figure 7.8.5-2: still needs FNC1
    for (const ai of ['402', '422', '7001', '8017', '8005', '4307']) expect(getAi(ai).fnc1Required, ai).toBe(true);
  });

  it('Figure 7.8.5-2 total lengths match the table (AI + data)', () => {
    // e.g. "00" → 2 + 18 = 20, "17" → 2 + 6 = 8, "3103" → 4 + 6 = 10, "410" → 3 + 13 = 16
    for (const d of AI_TABLE.filter((x) => x.predefinedLength)) {
      expect(d.ai.length + d.maxLength, d.ai).toBe(PREDEFINED_LENGTH_PREFIXES[d.ai.slice(0, 2)]);
    }
  });

  it('check digits on the keys, not on 254, 401, 8004 or 7001', () => {
    for (const ai of ['00', '01', '02', '03', '253', '255', '402', '410', '414', '417', '8003', '8006', '8017', '8018', '8026']) {
      expect(getAi(ai).checkDigit, ai).toBe(true);
    }
    for (const ai of ['254', '401', '8004', '7001', '10', '21']) expect(getAi(ai).checkDigit, ai).toBe(false);
  });

  it('semantics: dates, decimals, currency amounts', () => {
    expect(getAi('17').semantics).toBe('date');
    expect(getAi('7003').semantics).toBe('date');
    expect(getAi('3103')).toMatchObject({ semantics: 'decimal', decimals: 3 });
    expect(getAi('3695')).toMatchObject({ semantics: 'decimal', decimals: 5 });
    expect(getAi('3929')).toMatchObject({ semantics: 'decimal', decimals: 9 });
    expect(getAi('3932')).toMatchObject({ semantics: 'currency-decimal', decimals: 2 });
    expect(getAi('8005').semantics).toBe('none');
  });

  it('Digital Link primary keys and their qualifier sequences (GS1 Digital Link URI syntax)', () => {
    expect(getAi('01').dlQualifiers).toEqual([['22', '10', '21'], ['235']]);
    expect(getAi('414').dlQualifiers).toEqual([['254'], ['7040']]);
    expect(getAi('8006').dlQualifiers).toEqual([['22', '10', '21']]);
    expect(getAi('00').dlQualifiers).toEqual([[]]);
    expect(getAi('10').dlQualifiers).toBeUndefined();
    expect(getAi('17').dlDataAttribute).toBe(true);
    expect(getAi('21').dlDataAttribute).toBe(false);
    expect(getAi('01').dlDataAttribute).toBe(false);
  });
});

describe('checkAiValue component checks (GS1 Barcode Syntax Dictionary linters)', () => {
  it('8001 DIMENSIONS: width/length/diameter non-zero, winding 0, 1 or 9', () => {
    // width 0250 + length 01500 + diameter 031 + winding 1 + splices 0 = 4+5+3+1+1 = 14 digits
    expect(() => checkAiValue('8001', '02500150003110')).not.toThrow();
    expectGs1Error(() => checkAiValue('8001', '02500150003120'), 'invalid-value', { ai: '8001', message: /winding/ });
    expectGs1Error(() => checkAiValue('8001', '00000150003110'), 'invalid-value', { message: /must not be zero/ });
  });

  it('8006 ITIP: piece number must not exceed the total', () => {
    expect(() => checkAiValue('8006', '095201234567880102')).not.toThrow(); // piece 01 of 02
    expectGs1Error(() => checkAiValue('8006', '095201234567880302'), 'invalid-value', { message: /piece 03 of 02/ });
  });

  it('4309 SHIP TO GEO: latitude at most 1800000000, longitude at most 3600000000', () => {
    expect(() => checkAiValue('4309', '02850000001800000000')).not.toThrow();
    expectGs1Error(() => checkAiValue('4309', '18000000011800000000'), 'invalid-value', { message: /latitude/ });
  });

  it('yes/no, ISO 5218, media type, position in sequence', () => {
    expectGs1Error(() => checkAiValue('4321', '2'), 'invalid-value', { ai: '4321' });
    expectGs1Error(() => checkAiValue('7252', '3'), 'invalid-value', { ai: '7252' });
    expect(() => checkAiValue('7241', '81')).not.toThrow();
    expectGs1Error(() => checkAiValue('7241', '11'), 'invalid-value', { ai: '7241' });
    expect(() => checkAiValue('7258', '1/2')).not.toThrow();
    expectGs1Error(() => checkAiValue('7258', '3/2'), 'invalid-value', { ai: '7258' });
  });

  it('4330 temperature: six digits and an optional minus sign only', () => {
    expect(() => checkAiValue('4330', '001250-')).not.toThrow();
    expectGs1Error(() => checkAiValue('4330', '001250+'), 'invalid-value', { message: /"-"/ });
  });

  it('7040 UIC+EXT: the importer index is a digit, letter, "-" or "_"', () => {
    expect(() => checkAiValue('7040', '1A2B')).not.toThrow();
    expectGs1Error(() => checkAiValue('7040', '1AB!'), 'invalid-value', { ai: '7040' });
  });

  it('8007 IBAN: ISO 13616 mod-97 check (standard example GB82 WEST 1234 5698 7654 32)', () => {
    // WEST12345698765432GB82 → 3214282912345698765432161182; mod 97 in steps:
    // 321428291 mod 97 = 70; 702345698 mod 97 = 29; 297654321 mod 97 = 24; 2461182 mod 97 = 1 → valid
    expect(() => checkAiValue('8007', 'GB82WEST12345698765432')).not.toThrow();
    expectGs1Error(() => checkAiValue('8007', 'GB83WEST12345698765432'), 'check-digit', { ai: '8007' });
  });

  it('8013 GMN: check character pair (General Specifications example 1987654Ad4X4bL5ttr2310c2K)', () => {
    expect(() => checkAiValue('8013', '1987654Ad4X4bL5ttr2310c2K')).not.toThrow();
    expectGs1Error(() => checkAiValue('8013', '1987654Ad4X4bL5ttr2310cXK'), 'check-digit', { message: /expected 2K, found XK/ });
  });

  it('character sets: CPID takes set 39 only, DigSig base64url with at most two "=" pads', () => {
    expect(() => checkAiValue('8010', '1234-A/B#')).not.toThrow();
    expectGs1Error(() => checkAiValue('8010', '1234a', 10), 'invalid-character', { position: 14, message: /"a" is not allowed/ });
    expect(() => checkAiValue('8030', 'ab-_==')).not.toThrow();
    expectGs1Error(() => checkAiValue('8030', 'a==='), 'invalid-value', { ai: '8030' });
  });

  it('company prefix, zero, no-zero-prefix, alpha-2 country, percent-encoding', () => {
    expectGs1Error(() => checkAiValue('401', 'ABCD123'), 'invalid-value', { message: /GS1 Company Prefix/ });
    expectGs1Error(() => checkAiValue('8003', '10614141123452'), 'invalid-value', { message: /must be 0/ });
    expectGs1Error(() => checkAiValue('8011', '0123'), 'invalid-value', { ai: '8011' });
    expectGs1Error(() => checkAiValue('4307', 'de'), 'invalid-value', { ai: '4307' });
    expect(() => checkAiValue('4303', 'Main%20St')).not.toThrow();
    expectGs1Error(() => checkAiValue('4303', '100%'), 'invalid-value', { ai: '4303' });
  });

  it('multi-part values that stop inside a part are too short', () => {
    // 423: N3 + up to four optional N3 → "2763" leaves 1 digit for a 3-digit part
    expect(() => checkAiValue('423', '276040')).not.toThrow();
    expectGs1Error(() => checkAiValue('423', '2763'), 'too-short', { ai: '423' });
  });
});
