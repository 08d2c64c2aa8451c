/**
 * Render the event catalogue of the core and every first-party plugin into docs/api/events.md.
 * Run from the repository root: `npx tsx apps/server/src/event-catalogue.ts` (a test fails while
 * the file is stale).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { coreEvents, eventCatalogue, renderEventCatalogue } from '@quartermaster/core';
import { firstPartyPlugins } from './plugins.js';

export const EVENTS_DOC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'api', 'events.md');
export const REGENERATE = 'npx tsx apps/server/src/event-catalogue.ts';

export function renderFirstPartyCatalogue(): string {
  return renderEventCatalogue(
    eventCatalogue([{ pluginId: 'core', events: coreEvents }, ...firstPartyPlugins.map((p) => ({ pluginId: p.id, events: p.events?.emits ?? [] }))]),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  writeFileSync(EVENTS_DOC, renderFirstPartyCatalogue());
  console.log(`wrote ${join('docs', 'api', 'events.md')}`);
}
