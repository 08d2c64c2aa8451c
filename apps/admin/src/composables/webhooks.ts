/** Pure helpers the webhook and event catalogue pages share: event pickers, payload fields, status tags. */
import type { CatalogueEvent, WebhookDeliveryStatus } from '../api/types';
import type { TagType } from './devices';

/** Delivery status → tag colour: dead red, failing orange, pending grey, delivered green. */
export const DELIVERY_TAG: Record<WebhookDeliveryStatus, TagType> = { dead: 'danger', failing: 'warning', pending: 'info', delivered: 'success' };

/** Whether an event name matches a subscription pattern (`core.item.created`, `inventory.*`, `*`), as the server matches them. */
export function eventMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

export interface EventOption {
  value: string;
  label: string;
  hint: string;
}
export interface EventOptionGroup {
  label: string;
  options: EventOption[];
}

/** Choices for the event picker: everything, then per plugin "all of it" and each of its events. */
export function eventOptionGroups(events: CatalogueEvent[]): EventOptionGroup[] {
  const groups: EventOptionGroup[] = [{ label: 'Everything', options: [{ value: '*', label: '*', hint: `every event (${events.length} now)` }] }];
  const byPlugin = new Map<string, CatalogueEvent[]>();
  for (const e of events) byPlugin.set(e.pluginId, [...(byPlugin.get(e.pluginId) ?? []), e]);
  for (const [pluginId, list] of byPlugin) {
    groups.push({
      label: pluginId,
      options: [
        { value: `${pluginId}.*`, label: `${pluginId}.*`, hint: `all ${list.length} ${pluginId} events` },
        ...list.map((e) => ({ value: e.name, label: e.name, hint: e.description ?? '' })),
      ],
    });
  }
  return groups;
}

/** How many of the declared events a set of patterns selects. */
export function matchedCount(patterns: string[], events: CatalogueEvent[]): number {
  return events.filter((e) => patterns.some((p) => eventMatches(p, e.name))).length;
}

type Schema = Record<string, unknown>;

export interface PayloadField {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

function typeOf(s: Schema): string {
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).map(typeOf).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (s.type === 'array') {
    const item = typeOf((s.items ?? {}) as Schema);
    return item.includes(' ') ? `(${item})[]` : `${item}[]`;
  }
  const t = typeof s.type === 'string' ? s.type : 'any';
  return typeof s.format === 'string' ? `${t} (${s.format})` : t;
}

function nestedObject(s: Schema): { object: Schema; array: boolean } | null {
  if (s.type === 'object' && s.properties) return { object: s, array: false };
  if (s.type === 'array' && s.items) {
    const inner = nestedObject(s.items as Schema);
    return inner && !inner.array ? { object: inner.object, array: true } : null;
  }
  if (Array.isArray(s.anyOf)) for (const m of s.anyOf as Schema[]) if (nestedObject(m)) return nestedObject(m);
  return null;
}

/** The payload's fields from its JSON Schema, nested ones as `lines[].itemId`. */
export function payloadFields(schema: Schema, prefix = ''): PayloadField[] {
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props).flatMap(([name, s]) => {
    const nested = nestedObject(s);
    return [
      { name: prefix + name, type: typeOf(s), required: required.has(name), description: typeof s.description === 'string' ? s.description : '' },
      ...(nested ? payloadFields(nested.object, `${prefix}${name}${nested.array ? '[]' : ''}.`) : []),
    ];
  });
}

/** A receiver in Node that checks the signature (Standard Webhooks), for the secret dialog and the docs. */
export function verificationSnippet(): string {
  return `import { createHmac, timingSafeEqual } from 'node:crypto';

// headers: the request's headers; body: the raw request body as a string (before JSON.parse).
export function verify(secret, headers, body) {
  const id = headers['webhook-id'], ts = headers['webhook-timestamp'];
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false; // too old or from the future
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(\`\${id}.\${ts}.\${body}\`).digest();
  return headers['webhook-signature'].split(' ').some((s) => {
    const given = Buffer.from(s.split(',')[1] ?? '', 'base64');
    return s.startsWith('v1,') && given.length === expected.length && timingSafeEqual(given, expected);
  });
}`;
}
