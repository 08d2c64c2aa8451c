import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type TestPlatform } from '@quartermaster/testing';
import { RF, bootRfid, caller } from './fixtures.js';

/**
 * Decode and encode over HTTP. Worked values: the SGTIN-96 of GS1 EPC Tag Data Standard 1.13,
 * Appendix E (E.1 encoding, E.2 decoding): 3074257BF7194E4000001A85 ↔
 * urn:epc:tag:sgtin-96:3.0614141.812345.6789, GTIN 80614141123458 serial 6789 (§7.1); the GIAI-96
 * of §14.5.5.1 (urn:epc:tag:giai-96:3.0614141.12345400).
 */
describe('EPC decode and encode routes', () => {
  let t: TestPlatform;
  let call: ReturnType<typeof caller>;
  const decode = (hex: unknown) => t.request({ method: 'POST', url: `${RF}/epc/decode`, payload: { hex } });
  const encode = (body: Record<string, unknown>) => t.request({ method: 'POST', url: `${RF}/epc/encode`, payload: body });

  beforeAll(async () => {
    t = await bootRfid();
    call = caller(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('decodes the TDS Appendix E SGTIN-96', async () => {
    expect(await call({ method: 'POST', url: `${RF}/epc/decode`, payload: { hex: '3074257bf7194e4000001a85' } }, 200)).toEqual({
      scheme: 'sgtin-96',
      hex: '3074257BF7194E4000001A85',
      filter: 3,
      filterMeaning: expect.any(String),
      partition: 5,
      companyPrefix: '0614141',
      pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789',
      tagUri: 'urn:epc:tag:sgtin-96:3.0614141.812345.6789',
      elementString: '0180614141123458216789',
      hri: '(01)80614141123458(21)6789',
      gtin: '80614141123458',
      itemReference: '812345',
      serial: '6789',
    });
  });

  it('decodes a GIAI-96 to its AI (8004) value', async () => {
    expect(await call({ method: 'POST', url: `${RF}/epc/decode`, payload: { hex: '3474257BF400000000BC6038' } }, 200)).toMatchObject({
      scheme: 'giai-96',
      giai: '061414112345400',
      individualAssetReference: '12345400',
      pureIdentityUri: 'urn:epc:id:giai:0614141.12345400',
    });
  });

  it('encodes a tag URI, and a pure-identity URI with scheme and filter, to the same hex', async () => {
    const a = await call({ method: 'POST', url: `${RF}/epc/encode`, payload: { tagUri: 'urn:epc:tag:sgtin-96:3.0614141.812345.6789' } }, 200);
    expect(a).toMatchObject({ hex: '3074257BF7194E4000001A85', partition: 5, filter: 3, scheme: 'sgtin-96', gtin: '80614141123458' });
    const b = await call({ method: 'POST', url: `${RF}/epc/encode`, payload: { pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sgtin-96', filter: 3 } }, 200);
    expect(b).toEqual(a);
    const giai = await call({ method: 'POST', url: `${RF}/epc/encode`, payload: { tagUri: 'urn:epc:tag:giai-96:3.0614141.12345400' } }, 200);
    expect(giai.hex).toBe('3474257BF400000000BC6038');
  });

  it('an EPC the standard refuses is 422 rfid/epc-invalid whose detail is the reason', async () => {
    const header = expectProblem(await decode('FF74257BF7194E4000001A85'), 422, 'rfid/epc-invalid');
    expect(header).toMatchObject({ code: 'unknown-header', field: 'hex', position: 0 });
    expect(header.detail).toMatch(/^EPC header 0xFF is not one of sgtin-96 \(0x30\)/);
    const length = expectProblem(await decode('3074257BF7194E4000001A'), 422, 'rfid/epc-invalid');
    expect(length).toMatchObject({ code: 'wrong-length', detail: 'sgtin-96 is 96 bits, so 24 hex digits; got 22' });
    expect(expectProblem(await decode('not hex'), 422, 'rfid/epc-invalid')).toMatchObject({ code: 'invalid-hex', detail: "EPC must be hexadecimal digits, got 'not hex'" });
    // 2^38 does not fit the 38-bit SGTIN-96 serial (TDS §14.5.1.1).
    const big = expectProblem(await encode({ tagUri: 'urn:epc:tag:sgtin-96:3.0614141.812345.274877906944' }), 422, 'rfid/epc-invalid');
    expect(big).toMatchObject({ code: 'value-too-large', field: 'serial' });
    expect(big.detail).toContain('serial 274877906944 does not fit 38 bits in sgtin-96');
    const mismatch = expectProblem(await encode({ pureIdentityUri: 'urn:epc:id:giai:0614141.12345400', scheme: 'sgtin-96', filter: 1 }), 422, 'rfid/epc-invalid');
    expect(mismatch).toMatchObject({ code: 'scheme-mismatch', detail: 'a giai EPC cannot be encoded as sgtin-96' });
  });

  it('an encode body that is neither form is 400 naming the fields', async () => {
    expect(expectProblem(await encode({}), 400, 'validation').errors!.map((e) => e.field)).toEqual(['tagUri']);
    expect(expectProblem(await encode({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789' }), 400, 'validation').errors!.map((e) => e.field)).toEqual(['scheme', 'filter']);
    expect(expectProblem(await encode({ tagUri: 'urn:epc:tag:sgtin-96:3.0614141.812345.6789', filter: 1 }), 400, 'validation').errors!.map((e) => e.field)).toEqual(['filter']);
    // Ajv names the field once per literal the scheme is not: the set of fields is what counts.
    expect(new Set(expectProblem(await encode({ pureIdentityUri: 'x', scheme: 'sgtin-64', filter: 8 }), 400, 'validation').errors!.map((e) => e.field))).toEqual(new Set(['filter', 'scheme']));
  });
});
