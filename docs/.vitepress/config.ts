import { defineConfig } from 'vitepress';

export default defineConfig({
  title: 'Quartermaster',
  description: 'Inventory management and asset tracking on one plugin platform',
  cleanUrls: true,
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/operations' },
      { text: 'Plugins', link: '/plugins/writing-a-plugin' },
      { text: 'API', link: '/api/authentication' },
    ],
    sidebar: [
      { text: 'Overview', items: [{ text: 'Introduction', link: '/' }, { text: 'Architecture', link: '/architecture' }] },
      { text: 'Operators', items: [{ text: 'Operating Quartermaster', link: '/guide/operations' }] },
      { text: 'Modules', items: [{ text: 'Inventory', link: '/modules/inventory' }, { text: 'Fixed assets', link: '/modules/fixed-assets' }, { text: 'Maintenance', link: '/modules/maintenance/' }, { text: 'Maintenance: plans and scheduling', link: '/modules/maintenance/plans-and-scheduling' }, { text: 'Maintenance: work orders', link: '/modules/maintenance/work-orders' }, { text: 'Maintenance: calibration and reports', link: '/modules/maintenance/calibration-and-reports' }, { text: 'Maintenance: console', link: '/modules/maintenance/console' }, { text: 'Barcodes and labels', link: '/modules/barcode' }, { text: 'RFID', link: '/modules/rfid' }, { text: 'GPS', link: '/modules/gps' }] },
      {
        text: 'Plugin authors',
        items: [
          { text: 'Writing a plugin', link: '/plugins/writing-a-plugin' },
          { text: 'Console plugins', link: '/plugins/console' },
          { text: 'Device adapters', link: '/plugins/devices' },
        ],
      },
      {
        text: 'Integrators',
        items: [
          { text: 'Authentication and permissions', link: '/api/authentication' },
          { text: 'Problem types', link: '/api/problems' },
          { text: 'Event catalogue', link: '/api/events' },
          { text: 'Webhooks', link: '/guide/webhooks' },
        ],
      },
    ],
    search: { provider: 'local' },
  },
});
