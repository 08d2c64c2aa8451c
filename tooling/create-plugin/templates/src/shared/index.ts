/**
 * What the server, the console and other plugins share about __DISPLAY_NAME__: its id, its
 * permissions, the shapes of its API and the events it emits. No I/O here, so any entry may import it.
 */
import { Type, Uuid, Instant, PageQuery, defineEvent, type Static } from '@quartermaster/sdk';
import { WIDGET_NAME_MAX } from './constants.js';

export * from './constants.js';

export const Widget = Type.Object({
  id: Uuid,
  name: Type.String(),
  createdAt: Instant,
});
export type Widget = Static<typeof Widget>;

export const WidgetInput = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, description: `Shown as typed, after trimming and collapsing spaces; at most ${WIDGET_NAME_MAX} characters` }) },
  { additionalProperties: false },
);
export type WidgetInput = Static<typeof WidgetInput>;

export const WidgetListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const widgetCreated = defineEvent(
  '__PLUGIN_ID__.widget.created',
  Type.Object({ id: Uuid, name: Type.String() }),
  { description: 'A widget was created.' },
);

/** Every event this plugin emits (declared in the plugin definition). */
export const __PluginCamel__Events = [widgetCreated];
