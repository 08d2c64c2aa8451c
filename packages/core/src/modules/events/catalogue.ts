/**
 * The event catalogue: every event the enabled plugins declare in `events.emits`, with its payload's
 * JSON Schema, as served at `GET /api/core/events` and rendered into docs/api/events.md.
 */
import type { EventDefinition } from '@quartermaster/sdk';

export interface CatalogueField {
  name: string;
  type: string;
  description: string;
}

export interface CatalogueEvent {
  name: string;
  pluginId: string;
  description: string | null;
  /** How the aggregate key is found (`<type>:<payload[field]>`); null when the event is unordered. */
  aggregate: { type: string; field: string } | null;
  /** JSON Schema (draft 2020-12 compatible) of `data`. */
  schema: Record<string, unknown>;
}

export interface EventCatalogue {
  /** The body of every webhook request; `data` is the event's payload. */
  envelope: CatalogueField[];
  /** Headers of every webhook request (Standard Webhooks). */
  headers: CatalogueField[];
  events: CatalogueEvent[];
}

export const WEBHOOK_ENVELOPE: CatalogueField[] = [
  { name: 'id', type: 'string', description: 'The event\'s outbox sequence number: unique, increasing, the same on every retry and replay' },
  { name: 'type', type: 'string', description: 'The event name, e.g. `core.item.created`' },
  { name: 'timestamp', type: 'string (date-time)', description: 'When the change committed (UTC)' },
  { name: 'source', type: 'string', description: 'Id of the plugin that emitted it' },
  { name: 'actorId', type: 'string (uuid) | null', description: 'The user (or the owner of the API token) who caused it; null for the system' },
  { name: 'aggregate', type: 'string | null', description: 'Aggregate key (`<type>:<id>`): events with the same key reach a webhook in order' },
  { name: 'data', type: 'object', description: 'The payload, as described by the event\'s schema' },
];

export const WEBHOOK_HEADERS: CatalogueField[] = [
  { name: 'webhook-id', type: 'string', description: '`evt_<id>` (`ping_<n>` for a test); the same on every retry: use it to drop duplicates' },
  { name: 'webhook-timestamp', type: 'integer (seconds)', description: 'When this attempt was signed; refuse ones far from your clock' },
  { name: 'webhook-signature', type: 'string', description: '`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, space-separated when two secrets are valid' },
];

/** TypeBox schemas are JSON Schema plus symbol-keyed metadata; JSON drops the symbols. */
const jsonSchema = (schema: unknown) => JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

/** Core first, then plugins by id; events by name — the same order whatever the load order. */
export function eventCatalogue(plugins: { pluginId: string; events: readonly EventDefinition<any>[] }[]): EventCatalogue {
  const events = plugins
    .flatMap((p) =>
      p.events.map((e) => ({
        name: e.name,
        pluginId: p.pluginId,
        description: e.description ?? null,
        aggregate: e.aggregate === undefined ? { type: e.name.slice(0, e.name.lastIndexOf('.')), field: 'id' } : e.aggregate ? { ...e.aggregate } : null,
        schema: jsonSchema(e.schema),
      })),
    )
    .sort((a, b) => (a.pluginId === b.pluginId ? 0 : a.pluginId === 'core' ? -1 : b.pluginId === 'core' ? 1 : a.pluginId.localeCompare(b.pluginId)) || a.name.localeCompare(b.name));
  return { envelope: WEBHOOK_ENVELOPE, headers: WEBHOOK_HEADERS, events };
}

type Schema = Record<string, unknown>;

/** The object a field holds, directly, in an array, or as a nullable one; null when it holds none. */
function nestedObject(s: Schema): { object: Schema; array: boolean } | null {
  if (s.type === 'object' && s.properties) return { object: s, array: false };
  if (s.type === 'array' && s.items) {
    const inner = nestedObject(s.items as Schema);
    return inner && !inner.array ? { object: inner.object, array: true } : null;
  }
  if (Array.isArray(s.anyOf)) {
    for (const member of s.anyOf as Schema[]) {
      const inner = nestedObject(member);
      if (inner) return inner;
    }
  }
  return null;
}

/** One row per payload field, nested ones as `lines[].itemId`. */
function fieldsOf(schema: Schema, prefix = ''): { name: string; type: string; required: boolean; description: string }[] {
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props).flatMap(([name, s]) => {
    const row = { name: prefix + name, type: typeOf(s), required: required.has(name), description: typeof s.description === 'string' ? s.description : '' };
    const nested = nestedObject(s);
    return [row, ...(nested ? fieldsOf(nested.object, `${prefix}${name}${nested.array ? '[]' : ''}.`) : [])];
  });
}

function typeOf(s: Schema): string {
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).map(typeOf).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (s.type === 'array') {
    const item = typeOf((s.items ?? {}) as Schema);
    return item.includes(' ') ? `(${item})[]` : `${item}[]`;
  }
  const t = typeof s.type === 'string' ? s.type : Array.isArray(s.type) ? (s.type as string[]).join(' | ') : 'any';
  return typeof s.format === 'string' ? `${t} (${s.format})` : t;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The catalogue as Markdown for the docs site (docs/api/events.md). */
export function renderEventCatalogue(catalogue: EventCatalogue): string {
  const out: string[] = [
    '<!-- Generated from the plugins\' declared events; do not edit. Regenerate with: npx tsx apps/server/src/event-catalogue.ts -->',
    '',
    '# Event catalogue',
    '',
    'Every event the core and the first-party plugins declare (`events.emits`), with its payload. Events are written to',
    'the outbox in the same transaction as the change and delivered after commit, at least once, to in-process',
    "subscribers (`ctx.subscribe(ItemCreated, 'my-subscriber', handler)`) and to [webhooks](../guide/webhooks.md).",
    'A running server lists the events of its enabled plugins, with their JSON Schemas, at `GET /api/core/events`',
    '(permission `core.events.read`); the console shows them under *Administration → Event catalogue*.',
    '',
    '## Webhook requests',
    '',
    'Each webhook request is a `POST` with a JSON body:',
    '',
    '| field | type | meaning |',
    '|---|---|---|',
    ...catalogue.envelope.map((f) => `| \`${f.name}\` | ${cell(f.type)} | ${cell(f.description)} |`),
    '',
    'and these headers ([Standard Webhooks](https://www.standardwebhooks.com/)):',
    '',
    '| header | type | meaning |',
    '|---|---|---|',
    ...catalogue.headers.map((f) => `| \`${f.name}\` | ${cell(f.type)} | ${cell(f.description)} |`),
    '',
    'Each event below names its aggregate, `<type>:<payload field>`: a webhook gets the events of one aggregate in',
    'order. Events without one are delivered without ordering.',
  ];
  let plugin = '';
  for (const e of catalogue.events) {
    if (e.pluginId !== plugin) {
      plugin = e.pluginId;
      out.push('', `## ${plugin}`);
    }
    out.push('', `### \`${e.name}\``, '');
    if (e.description) out.push(cell(e.description), '');
    out.push(`Aggregate: ${e.aggregate ? `\`${e.aggregate.type}:<${e.aggregate.field}>\`` : 'none (unordered)'}`, '');
    const fields = fieldsOf(e.schema);
    if (fields.length) {
      out.push('| field | type | required | description |', '|---|---|---|---|');
      for (const f of fields) out.push(`| \`${f.name}\` | ${cell(f.type)} | ${f.required ? 'yes' : 'no'} | ${cell(f.description)} |`);
    } else out.push('No payload fields.');
  }
  return out.join('\n') + '\n';
}
