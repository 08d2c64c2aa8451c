import { defineConfig, type DefaultTheme } from 'vitepress';

// One sidebar for the whole site, in the order a newcomer reads it: start, understand, use, connect,
// extend, run. Every page is listed here; the docs test checks that each link resolves to a built page.
const sidebar: DefaultTheme.SidebarItem[] = [
  {
    text: 'Start here',
    items: [
      { text: 'Introduction', link: '/' },
      { text: 'Getting started', link: '/guide/getting-started' },
    ],
  },
  {
    text: 'Concepts',
    items: [
      { text: 'Inventory and assets', link: '/concepts/inventory-vs-assets' },
      { text: 'Profiles', link: '/concepts/profiles' },
      { text: 'Plugins', link: '/concepts/plugins' },
      { text: 'Architecture', link: '/architecture' },
    ],
  },
  {
    text: 'Industry guides',
    items: [
      { text: 'Retail and e-commerce', link: '/profiles/retail' },
      { text: 'Construction', link: '/profiles/construction' },
      { text: 'Healthcare', link: '/profiles/healthcare' },
    ],
  },
  {
    text: 'Admin guide',
    items: [
      { text: 'The console', link: '/admin/' },
      { text: 'Users, roles and API tokens', link: '/admin/users-and-access' },
      { text: 'Items and locations', link: '/admin/items-and-locations' },
      { text: 'Inventory', link: '/admin/inventory' },
      { text: 'Fixed assets', link: '/admin/fixed-assets' },
      { text: 'Maintenance', link: '/admin/maintenance' },
      { text: 'Scanning and devices', link: '/admin/scanning-and-devices' },
      { text: 'Webhooks and events', link: '/admin/webhooks-and-events' },
    ],
  },
  {
    text: 'Modules',
    collapsed: true,
    items: [
      { text: 'Inventory', link: '/modules/inventory' },
      { text: 'Fixed assets', link: '/modules/fixed-assets' },
      {
        text: 'Maintenance',
        link: '/modules/maintenance/',
        items: [
          { text: 'Plans and scheduling', link: '/modules/maintenance/plans-and-scheduling' },
          { text: 'Work orders', link: '/modules/maintenance/work-orders' },
          { text: 'Calibration and reports', link: '/modules/maintenance/calibration-and-reports' },
          { text: 'Console', link: '/modules/maintenance/console' },
        ],
      },
      { text: 'Barcodes and labels', link: '/modules/barcode' },
      { text: 'RFID', link: '/modules/rfid' },
      { text: 'GPS', link: '/modules/gps' },
      { text: 'ERP journal', link: '/modules/erp-journal' },
    ],
  },
  {
    text: 'Integrators',
    items: [
      { text: 'Overview', link: '/integrators/' },
      { text: 'Authentication and API tokens', link: '/api/authentication' },
      { text: 'OpenAPI reference', link: '/integrators/openapi' },
      { text: 'Webhooks', link: '/guide/webhooks' },
      { text: 'Event catalogue', link: '/api/events' },
      { text: 'Problem types', link: '/api/problems' },
    ],
  },
  {
    text: 'Plugin authors',
    items: [
      { text: 'Overview', link: '/plugins/' },
      { text: 'Create a plugin', link: '/plugins/create-plugin' },
      { text: 'Writing a plugin', link: '/plugins/writing-a-plugin' },
      { text: 'Extension points and services', link: '/plugins/extension-points' },
      { text: 'Console plugins', link: '/plugins/console' },
      { text: 'Console modules', link: '/plugins/console-modules' },
      { text: 'Device adapters', link: '/plugins/devices' },
      { text: 'Testing', link: '/plugins/testing' },
      { text: 'Publishing', link: '/plugins/publishing' },
    ],
  },
  {
    text: 'Operators',
    items: [{ text: 'Operating Quartermaster', link: '/guide/operations' }],
  },
];

export default defineConfig({
  title: 'Quartermaster',
  description: 'Inventory management and asset tracking on one plugin platform',
  cleanUrls: true,
  // Dead links fail the build (VitePress' default); keep it that way.
  themeConfig: {
    nav: [
      { text: 'Get started', link: '/guide/getting-started' },
      { text: 'Admin guide', link: '/admin/' },
      { text: 'Integrators', link: '/integrators/' },
      { text: 'Plugins', link: '/plugins/' },
      { text: 'Operators', link: '/guide/operations' },
    ],
    sidebar,
    outline: { level: [2, 3] },
    search: { provider: 'local' },
  },
});
