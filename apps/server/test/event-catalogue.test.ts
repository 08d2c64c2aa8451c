import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { EVENTS_DOC, REGENERATE, renderFirstPartyCatalogue } from '../src/event-catalogue.js';
import { firstPartyPlugins } from '../src/plugins.js';

test('docs/api/events.md is generated from the declared events and is up to date', () => {
  const rendered = renderFirstPartyCatalogue();
  const onDisk = readFileSync(EVENTS_DOC, 'utf8');
  // Compared as a boolean first so a stale file fails with the fix, not a long diff.
  expect(onDisk === rendered, `docs/api/events.md is stale; regenerate it with: ${REGENERATE}`).toBe(true);
});

test('the rendered catalogue names every event of every first-party plugin', () => {
  const rendered = renderFirstPartyCatalogue();
  for (const p of firstPartyPlugins) for (const e of p.events?.emits ?? []) expect(rendered).toContain(`### \`${e.name}\``);
  expect(rendered).toContain('### `core.item.created`');
});
