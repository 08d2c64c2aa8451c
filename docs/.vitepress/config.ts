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
      { text: 'Modules', items: [{ text: 'Inventory', link: '/modules/inventory' }, { text: 'Fixed assets', link: '/modules/fixed-assets' }] },
      {
        text: 'Plugin authors',
        items: [
          { text: 'Writing a plugin', link: '/plugins/writing-a-plugin' },
          { text: 'Console plugins', link: '/plugins/console' },
        ],
      },
      {
        text: 'Integrators',
        items: [
          { text: 'Authentication and permissions', link: '/api/authentication' },
          { text: 'Problem types', link: '/api/problems' },
          { text: 'Core events', link: '/api/events' },
        ],
      },
    ],
    search: { provider: 'local' },
  },
});
