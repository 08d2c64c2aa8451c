/**
 * One webhook POST over node:http(s): a hard deadline for the whole exchange, redirects not
 * followed, at most a few KiB of the answer kept, and (unless allowed) no private, loopback or
 * link-local destination — checked on the address actually connected to, so a DNS answer that
 * changes between check and connect cannot slip through.
 */
import http from 'node:http';
import https from 'node:https';
import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';

const blocked = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['100::', 64]] as const) blocked.addSubnet(prefix, bits, 'ipv6');

/** Loopback, private (RFC 1918, ULA), link-local, carrier-grade NAT, multicast, unspecified or reserved. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = net.isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(ip, 'ipv6');
  }
  return false;
}

/** Why a URL may not be a webhook target, as a stable reason, or null when it may. */
export function urlRefusal(raw: string, allowPrivateAddresses: boolean): { reason: string; message: string } | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { reason: 'invalid-url', message: 'must be an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: 'scheme-not-allowed', message: 'must be an http or https URL' };
  if (url.username || url.password) return { reason: 'credentials-in-url', message: 'must not carry a user name or password; receivers check the signature instead' };
  if (!allowPrivateAddresses) {
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)) {
      return { reason: 'private-address', message: 'points to a private or loopback address, which this server does not call (core option webhooks.allowPrivateAddresses)' };
    }
  }
  return null;
}

class AddressNotAllowed extends Error {
  code = 'EADDRNOTALLOWED';
}

/** dns.lookup that fails for private addresses (used as the socket's lookup, so it checks what is connected to). */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return (callback as (e: Error) => void)(err);
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) return (callback as (e: Error) => void)(new AddressNotAllowed(`${hostname} resolves to ${bad.address}, a private address (webhooks.allowPrivateAddresses is off)`));
    if ((options as dns.LookupOptions).all) return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    return (callback as (e: null, a: string, f: number) => void)(null, list[0].address, list[0].family);
  });
};

export interface PostResult {
  statusCode: number | null;
  /** Network error, timeout or refusal; null when an answer came. */
  error: string | null;
  /** The start of the answer's body (UTF-8), null when none came. */
  responseBody: string | null;
  responseTruncated: boolean;
  /** The answer's Retry-After (seconds or an HTTP date), in milliseconds from now. */
  retryAfterMs: number | null;
  durationMs: number;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivateAddresses: boolean;
  /** Bytes of the answer kept for the delivery log. */
  responseBodyLimit: number;
  agents?: { http: http.Agent; https: https.Agent };
}

export function postWebhook(target: string, headers: Record<string, string>, body: string, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (error: string): PostResult => ({ statusCode: null, error, responseBody: null, responseTruncated: false, retryAfterMs: null, durationMs: elapsed() });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve(fail('invalid URL'));
  }
  const refusal = urlRefusal(target, options.allowPrivateAddresses);
  if (refusal) return Promise.resolve(fail(`${refusal.reason}: the URL ${refusal.message}`));

  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const done = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(r);
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      agent: url.protocol === 'https:' ? options.agents?.https : options.agents?.http,
      ...(options.allowPrivateAddresses ? {} : { lookup: guardedLookup }),
    });
    // One deadline for connect, send and answer: a receiver that trickles bytes cannot hold a worker.
    const deadline = setTimeout(() => {
      req.destroy(new Error(`timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    req.on('error', (err: Error & { code?: string }) => done(fail(err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = () =>
        done({
          statusCode: res.statusCode ?? null,
          error: null,
          responseBody: Buffer.concat(chunks).toString('utf8'),
          responseTruncated: truncated,
          retryAfterMs: parseRetryAfter(res.headers['retry-after']),
          durationMs: elapsed(),
        });
      res.on('data', (chunk: Buffer) => {
        if (size >= options.responseBodyLimit) {
          truncated = true;
          return;
        }
        const room = options.responseBodyLimit - size;
        if (chunk.length > room) truncated = true;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
        // Enough kept: stop reading instead of downloading a large answer.
        if (truncated) {
          finish();
          res.destroy();
        }
      });
      res.on('end', finish);
      res.on('error', finish);
      res.on('aborted', finish);
    });
    req.end(body);
  });
}
