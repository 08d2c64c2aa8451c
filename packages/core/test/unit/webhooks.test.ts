import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { signWebhook, webhookHeaders, newWebhookSecret } from '../../src/modules/webhooks/webhooks.signing.js';
import { guardedLookup, isPrivateAddress, parseRetryAfter, postWebhook, urlRefusal } from '../../src/modules/webhooks/webhooks.http.js';
import { retryDelayMs } from '../../src/modules/webhooks/webhooks.dispatcher.js';
import { verifyStandardWebhook } from '../contract/webhook-receiver.js';

describe('Standard Webhooks signatures', () => {
  // The published vector of the reference library: standard-webhooks/standard-webhooks,
  // libraries/javascript/src/webhook.test.ts, "sign function works".
  const vector = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    payload: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };

  it('signs the reference vector exactly', () => {
    expect(signWebhook(vector.secret, vector.msgId, vector.timestamp, vector.payload)).toBe(vector.signature);
  });

  it("the tests' independent verifier accepts the reference vector and rejects changes", () => {
    const headers = { 'webhook-id': vector.msgId, 'webhook-timestamp': String(vector.timestamp), 'webhook-signature': vector.signature };
    const now = vector.timestamp * 1000;
    expect(verifyStandardWebhook(vector.secret, headers, vector.payload, { now })).toBe(true);
    expect(verifyStandardWebhook(vector.secret, headers, vector.payload.replace('2432', '2433'), { now })).toBe(false);
    // Outside the tolerance (five minutes, as in the reference library) it is refused even when signed right.
    expect(verifyStandardWebhook(vector.secret, headers, vector.payload, { now: now + 301_000 })).toBe(false);
    // Any one of several space-separated signatures may match.
    expect(verifyStandardWebhook(vector.secret, { ...headers, 'webhook-signature': `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${vector.signature}` }, vector.payload, { now })).toBe(true);
  });

  it('signs with every valid secret, space-separated', () => {
    const a = newWebhookSecret();
    const b = newWebhookSecret();
    const h = webhookHeaders([a, b], 'evt_1', 1_700_000_000, '{}');
    expect(h['webhook-signature'].split(' ')).toEqual([signWebhook(a, 'evt_1', 1_700_000_000, '{}'), signWebhook(b, 'evt_1', 1_700_000_000, '{}')]);
    expect(a).toMatch(/^whsec_/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
  });
});

describe('retry delays', () => {
  it('double per attempt from the base, are capped, and jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(30, 1000, 60_000, () => 0)).toBe(30_000);
    for (let i = 0; i < 100; i++) {
      const d = retryDelayMs(3, 1000, 60_000);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  it('Retry-After is read as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
});

describe('target addresses', () => {
  it.each([
    ['127.0.0.1', true], ['127.8.9.10', true], ['10.0.0.1', true], ['172.16.0.1', true], ['172.31.255.255', true], ['192.168.1.1', true],
    ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['224.0.0.1', true], ['::1', true], ['[::1]', true], ['::', true],
    ['fd00::1', true], ['fe80::1', true], ['::ffff:127.0.0.1', true], ['::ffff:10.1.1.1', true],
    ['8.8.8.8', false], ['172.32.0.1', false], ['1.1.1.1', false], ['2606:4700:4700::1111', false], ['::ffff:8.8.8.8', false], ['example.com', false],
  ] as const)('%s private: %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });

  it('refuses what is not http(s), URLs with credentials, and private hosts unless allowed', () => {
    expect(urlRefusal('https://hooks.example.com/x', false)).toBeNull();
    expect(urlRefusal('http://127.0.0.1:9/x', true)).toBeNull();
    expect(urlRefusal('gopher://example.com/', true)?.reason).toBe('scheme-not-allowed');
    expect(urlRefusal('javascript:alert(1)', true)?.reason).toBe('scheme-not-allowed');
    expect(urlRefusal('https://a:b@example.com/', true)?.reason).toBe('credentials-in-url');
    expect(urlRefusal('/relative', true)?.reason).toBe('invalid-url');
    for (const u of ['http://localhost/', 'http://LOCALHOST./', 'http://api.localhost/', 'http://127.1/', 'http://2130706433/', 'http://[fd12::1]/', 'http://192.168.0.10:8080/']) {
      expect(urlRefusal(u, false)?.reason, u).toBe('private-address');
    }
  });

  it('checks the address a name resolves to, not just the name', async () => {
    const err = await new Promise<Error | null>((resolve) => guardedLookup('localhost', {}, (e) => resolve(e)));
    expect(err?.message).toMatch(/localhost resolves to .*, a private address/);
  });

  it('does not even connect to a refused address', async () => {
    let connections = 0;
    const server = http.createServer((_req, res) => res.end('hi'));
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const refused = await postWebhook(`http://127.0.0.1:${port}/`, {}, '{}', { timeoutMs: 1000, allowPrivateAddresses: false, responseBodyLimit: 100 });
      expect(refused).toMatchObject({ statusCode: null, error: expect.stringMatching(/^private-address/) });
      const allowed = await postWebhook(`http://127.0.0.1:${port}/`, {}, '{}', { timeoutMs: 1000, allowPrivateAddresses: true, responseBodyLimit: 100 });
      expect(allowed).toMatchObject({ statusCode: 200, responseBody: 'hi', error: null });
      expect(connections).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('gives up at the deadline and does not follow redirects', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(307, { location: 'http://169.254.169.254/' });
        res.end();
      }
      // Otherwise never answers.
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const slow = await postWebhook(`${base}/slow`, {}, '{}', { timeoutMs: 200, allowPrivateAddresses: true, responseBodyLimit: 100 });
      expect(slow).toMatchObject({ statusCode: null, error: 'timed out after 200 ms' });
      expect(slow.durationMs).toBeGreaterThanOrEqual(190);
      const redirected = await postWebhook(`${base}/redirect`, {}, '{}', { timeoutMs: 1000, allowPrivateAddresses: true, responseBodyLimit: 100 });
      expect(redirected.statusCode).toBe(307);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
