import { defineAdminPlugin } from '@quartermaster/sdk/admin';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { platformPlugin, renderWithPlugins } from '../../../../apps/admin/test/plugin-harness';
import { fixedAssetsZones } from '../../src/admin/zones';
import { ASSET_ID, makeAsset, paged, q, server, state, text } from './harness';

/**
 * The asset page renders the widgets other plugins contribute to `fixedAssetsZones.assetDetailSide`
 * (the barcode plugin's label, for one), with the asset's id, filtered by the user's permissions
 * like every zone of the shell.
 */
const Widget = defineComponent({
  props: { assetId: { type: String, required: true } },
  setup: (props) => () => h('p', { 'data-testid': 'stub-widget' }, `label of ${props.assetId}`),
});

/** A console module of another plugin ("labels") with one widget for the asset page, and one needing a permission. */
const labelsConsole = async () => ({
  default: defineAdminPlugin({
    id: 'labels',
    widgets: [
      { zone: fixedAssetsZones.assetDetailSide, component: async () => ({ default: Widget }), permission: 'labels.read', title: 'Label' },
      { zone: fixedAssetsZones.assetDetailSide, component: async () => ({ default: Widget }), permission: 'labels.secret', title: 'Secret' },
    ],
  }),
});

function assetHandlers() {
  server.use(
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}`, () => HttpResponse.json({ ...makeAsset(1, { categoryId: null, category: null }), children: [] })),
    http.get(`*/api/fixed-assets/assets/${ASSET_ID}/custody`, ({ request }) => paged([], request.url)),
  );
}

describe('asset page zone', () => {
  it('renders the widgets contributed to fixedAssetsZones.assetDetailSide with the asset id', async () => {
    assetHandlers();
    state.session = { ...state.session!, permissions: ['fixed-assets.asset.read', 'labels.read'] };
    await renderWithPlugins(`/fixed-assets/assets/${ASSET_ID}`, [platformPlugin('fixed-assets', 'Fixed assets'), platformPlugin('labels', 'Labels')], {
      'fixed-assets': () => import('../../src/admin/index'),
      labels: labelsConsole,
    });
    await vi.waitFor(() => expect(text('stub-widget')).toBe(`label of ${ASSET_ID}`));
    const zone = q('plugin-zone')!;
    expect(zone.dataset.zone).toBe('fixed-assets.asset.detail.side');
    expect(fixedAssetsZones.assetDetailSide.id).toBe('fixed-assets.asset.detail.side');
    // Only the widget the user may see, in its card.
    expect([...zone.querySelectorAll('.el-card__header')].map((e) => e.textContent?.trim())).toEqual(['Label']);
    expect(text('asset-title')).toBe('AST-2026-00001 · ThinkPad T14');
  });

  it('renders nothing when no plugin contributes', async () => {
    assetHandlers();
    await renderWithPlugins(`/fixed-assets/assets/${ASSET_ID}`, [platformPlugin('fixed-assets', 'Fixed assets')], { 'fixed-assets': () => import('../../src/admin/index') });
    await vi.waitFor(() => expect(text('asset-title')).toBe('AST-2026-00001 · ThinkPad T14'));
    expect(q('plugin-zone')).toBeNull();
  });
});
