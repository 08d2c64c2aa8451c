import { defineZone } from '@quartermaster/sdk/admin';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import JsonDiff from '../src/components/JsonDiff.vue';
import KeyValueEditor from '../src/components/KeyValueEditor.vue';
import PluginZone from '../src/components/PluginZone.vue';
import { jsonDiff } from '../src/diff';
import { ZONE_WIDGETS_KEY } from '../src/zone';
import type { ZoneWidget } from '../src/types';

describe('PluginZone', () => {
  const zone = defineZone<{ itemId: string }>('core.item.detail.side');
  const Widget = defineComponent({
    props: { itemId: String },
    setup: (p) => () => h('p', { class: 'w' }, `stock for ${p.itemId}`),
  });

  it('renders the widgets of its zone with the zone props, in order', async () => {
    const widgets: Record<string, ZoneWidget[]> = {
      'core.item.detail.side': [
        { key: 'inventory:0', pluginId: 'inventory', title: 'Stock', order: 1, component: async () => ({ default: Widget }) },
        { key: 'assets:0', pluginId: 'assets', order: 2, component: async () => ({ default: Widget }) },
      ],
    };
    const wrapper = mount(PluginZone, {
      props: { zone, props: { itemId: 'abc' } },
      global: { provide: { [ZONE_WIDGETS_KEY as symbol]: (id: string) => widgets[id] ?? [] } },
    });
    await flushPromises();
    await flushPromises();
    expect(wrapper.findAll('.w').map((w) => w.text())).toEqual(['stock for abc', 'stock for abc']);
    expect(wrapper.text()).toContain('Stock');
  });

  it('renders nothing for a zone without widgets', () => {
    const wrapper = mount(PluginZone, { props: { zone, props: { itemId: 'x' } } });
    expect(wrapper.find('[data-testid="plugin-zone"]').exists()).toBe(false);
  });
});

describe('jsonDiff / JsonDiff', () => {
  it('classifies added, removed and changed fields (nested paths flattened)', () => {
    const rows = jsonDiff({ name: 'Drill', attributes: { volts: 18 }, old: 1 }, { name: 'Drill XL', attributes: { volts: 18, rpm: 1500 } });
    expect(rows).toEqual([
      { path: 'attributes.rpm', before: undefined, after: 1500, change: 'added' },
      { path: 'attributes.volts', before: 18, after: 18, change: 'unchanged' },
      { path: 'name', before: 'Drill', after: 'Drill XL', change: 'changed' },
      { path: 'old', before: 1, after: undefined, change: 'removed' },
    ]);
  });

  it('shows only changed fields by default, everything on a created entry', async () => {
    const wrapper = mount(JsonDiff, { props: { before: null, after: { name: 'Drill', kind: 'asset' } } });
    await flushPromises();
    expect(wrapper.text()).toContain('name');
    expect(wrapper.text()).toContain('Drill');
    expect(wrapper.text()).toContain('added');
  });
});

describe('KeyValueEditor', () => {
  it('edits attributes and keeps JSON-looking values typed', async () => {
    const wrapper = mount(KeyValueEditor, { props: { modelValue: { color: 'red' } } });
    expect((wrapper.find('[data-testid="attr-key-0"]').element as HTMLInputElement).value).toBe('color');
    await wrapper.find('[data-testid="attr-add"]').trigger('click');
    await wrapper.find('[data-testid="attr-key-1"]').setValue('volts');
    await wrapper.find('[data-testid="attr-value-1"]').setValue('18');
    await wrapper.find('[data-testid="attr-value-1"]').trigger('change');
    const emitted = wrapper.emitted('update:modelValue')!;
    expect(emitted.at(-1)![0]).toEqual({ color: 'red', volts: 18 });
  });
});
