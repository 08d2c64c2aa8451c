/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, spec/standard-webhooks.md):
 * `webhook-signature: v1,<base64 HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>">`,
 * keyed with the base64-decoded part of a `whsec_` secret. Several signatures are separated by
 * spaces (we send two while a rotated-out secret is still valid).
 */
import { createHmac, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A new secret: 32 random bytes, base64, with the `whsec_` prefix the spec's libraries expect. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** Enough of a secret to tell two apart; never enough to sign. */
export const secretHint = (secret: string) => secret.slice(0, SECRET_PREFIX.length + 4) + '…';

/** `v1,<signature>` for one secret. */
export function signWebhook(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${msgId}.${timestampSeconds}.${body}`).digest('base64');
}

/** The three Standard Webhooks headers for one attempt; every secret given signs. */
export function webhookHeaders(secrets: string[], msgId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signWebhook(s, msgId, timestampSeconds, body)).join(' '),
  };
}
