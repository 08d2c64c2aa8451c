import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { EpcError, decodeEpc, encodeEpc, type EncodeEpcInput } from '../../src/domain/index';
import { choose, click, lastRequest, problem, q, renderRfid, requests, server, text, typeIn } from './harness';

const SLOW = { timeout: 30_000 };

/**
 * The EPC routes as the server answers them: the plugin's own EPC domain, its refusals as 422
 * `rfid/epc-invalid` with the reason as detail and the rule as `code` (see `epcProblem`).
 */
function serveEpc() {
  const refuse = (err: unknown) => {
    if (!(err instanceof EpcError)) throw err;
    return problem(422, 'rfid/epc-invalid', 'Not a valid EPC', err.reason, { code: err.code, field: err.field ?? null, ...(err.position !== undefined ? { position: err.position } : {}) });
  };
  server.use(
    http.post('*/api/rfid/epc/decode', async ({ request }) => {
      const { hex } = (await request.json()) as { hex: string };
      try {
        return HttpResponse.json({ ...decodeEpc(hex) });
      } catch (err) {
        return refuse(err);
      }
    }),
    http.post('*/api/rfid/epc/encode', async ({ request }) => {
      const body = (await request.json()) as EncodeEpcInput;
      try {
        return HttpResponse.json({ ...decodeEpc(encodeEpc(body).hex) });
      } catch (err) {
        return refuse(err);
      }
    }),
  );
}

describe('EPC tool', () => {
  it('decodes the SGTIN-96 of GS1 EPC TDS 1.13 Appendix E into its URIs and GTIN', SLOW, async () => {
    serveEpc();
    await renderRfid('/rfid/epc');
    // GS1 EPC Tag Data Standard 1.13, Appendix E (encoding example): 3074257BF7194E4000001A85 is
    // urn:epc:tag:sgtin-96:3.0614141.812345.6789, GTIN 80614141123458, serial 6789.
    await typeIn('epc-hex', '3074 257B F719 4E40 0000 1A85');
    await click('epc-decode');
    await vi.waitFor(() => expect(text('epc-decoded-scheme')).toBe('sgtin-96'));
    expect(lastRequest(requests, '/api/rfid/epc/decode', 'POST').body).toEqual({ hex: '3074257BF7194E4000001A85' });
    expect(text('epc-decoded-filter')).toBe('3 — Reserved');
    expect(text('epc-decoded-prefix')).toBe('0614141');
    expect(text('epc-decoded-gtin')).toBe('80614141123458');
    expect(text('epc-decoded-serial')).toBe('6789');
    expect(text('epc-decoded-pure')).toBe('urn:epc:id:sgtin:0614141.812345.6789');
    expect(text('epc-decoded-tag-uri')).toBe('urn:epc:tag:sgtin-96:3.0614141.812345.6789');
    expect(text('epc-decoded-hri')).toBe('(01)80614141123458(21)6789');
    expect(q('epc-decoded-sscc')).toBeNull();
  });

  it("shows the server's reason when an EPC does not decode, and asks for hex when there is none", SLOW, async () => {
    serveEpc();
    await renderRfid('/rfid/epc');
    await click('epc-decode');
    await vi.waitFor(() => expect(text('epc-decode-error')).toContain('Check the highlighted fields'));
    expect(requests.some((r) => r.url.pathname === '/api/rfid/epc/decode')).toBe(false);

    // Header 0xE2 is no GS1 scheme (a chip maker's TID-like EPC).
    await typeIn('epc-hex', 'E28011606000020A1B2C3D4E');
    await click('epc-decode');
    let reason = '';
    try {
      decodeEpc('E28011606000020A1B2C3D4E');
    } catch (err) {
      reason = (err as EpcError).reason;
    }
    expect(reason).not.toBe('');
    await vi.waitFor(() => expect(text('epc-decode-error')).toContain(reason));
    expect(text('epc-decode-error')).toMatch(/Rule: [a-z-]+/);
    expect(q('epc-decoded')).toBeNull();
  });

  it('encodes from a pure identity URI with scheme and filter, and from a tag URI', SLOW, async () => {
    serveEpc();
    await renderRfid('/rfid/epc');
    await click('epc-mode-pure');
    await typeIn('epc-pure-uri', 'urn:epc:id:sgtin:0614141.812345.6789');
    await choose(q('epc-scheme'), { testid: 'epc-scheme-sgtin-96' });
    await choose(q('epc-filter'), { testid: 'epc-filter-3' });
    await click('epc-encode');
    await vi.waitFor(() => expect(text('epc-encoded-hex')).toBe('3074257BF7194E4000001A85'));
    expect(lastRequest(requests, '/api/rfid/epc/encode', 'POST').body).toEqual({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789', scheme: 'sgtin-96', filter: 3 });

    await click('epc-mode-tag');
    // GIAI-96 of TDS §14.5.5.1's company prefix, filter 0.
    await typeIn('epc-tag-uri', 'urn:epc:tag:giai-96:0.0614141.5678');
    await click('epc-encode');
    await vi.waitFor(() => expect(text('epc-encoded-giai')).toBe('06141415678'));
    expect(text('epc-encoded-hex')).toBe(encodeEpc({ tagUri: 'urn:epc:tag:giai-96:0.0614141.5678' }).hex);
    expect(lastRequest(requests, '/api/rfid/epc/encode', 'POST').body).toEqual({ tagUri: 'urn:epc:tag:giai-96:0.0614141.5678' });
  });

  it("shows the 422's detail when a value does not fit the scheme", SLOW, async () => {
    serveEpc();
    await renderRfid('/rfid/epc');
    await click('epc-mode-pure');
    // SGTIN-96 carries numeric serials below 2^38 only (TDS §14.5.1.1); an alphanumeric one needs SGTIN-198.
    await typeIn('epc-pure-uri', 'urn:epc:id:sgtin:0614141.812345.ABC1');
    await choose(q('epc-scheme'), { testid: 'epc-scheme-sgtin-96' });
    await click('epc-encode');
    let reason = '';
    try {
      encodeEpc({ pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.ABC1', scheme: 'sgtin-96', filter: 1 });
    } catch (err) {
      reason = (err as EpcError).reason;
    }
    expect(reason).not.toBe('');
    await vi.waitFor(() => expect(text('epc-encode-error')).toContain(reason));
    expect(q('epc-encoded')).toBeNull();

    // The same serial fits SGTIN-198.
    await choose(q('epc-scheme'), { testid: 'epc-scheme-sgtin-198' });
    await click('epc-encode');
    await vi.waitFor(() => expect(text('epc-encoded-scheme')).toBe('sgtin-198'));
    expect(text('epc-encoded-serial')).toBe('ABC1');
    expect(q('epc-encode-error')).toBeNull();
  });
});
