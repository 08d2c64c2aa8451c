import { createRouter, type RouterHistory, type RouteRecordRaw } from 'vue-router';
import type { AdminPluginLoader } from '../plugins/registry';
import { usePlatformStore } from '../stores/platform';
import { useSessionStore } from '../stores/session';
import LoginPage from '../pages/LoginPage.vue';
import ShellLayout from '../layouts/ShellLayout.vue';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** Needed to open the page; the sidebar hides entries the user lacks. */
    permission?: string;
    /** Reachable without a session. */
    public?: boolean;
    pluginId?: string;
  }
}

export const coreRoutes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginPage, meta: { public: true, title: 'Sign in' } },
  {
    path: '/',
    name: 'shell',
    component: ShellLayout,
    children: [
      { path: '', name: 'home', component: () => import('../pages/DashboardPage.vue'), meta: { title: 'Dashboard' } },
      {
        path: 'items',
        name: 'items',
        component: () => import('../pages/items/ItemsListPage.vue'),
        meta: { title: 'Items', permission: 'core.items.read' },
      },
      {
        path: 'items/new',
        name: 'item-new',
        component: () => import('../pages/items/ItemFormPage.vue'),
        meta: { title: 'New item', permission: 'core.items.write' },
      },
      {
        path: 'items/:id',
        name: 'item-detail',
        props: true,
        component: () => import('../pages/items/ItemDetailPage.vue'),
        meta: { title: 'Item', permission: 'core.items.read' },
      },
      {
        path: 'items/:id/edit',
        name: 'item-edit',
        props: true,
        component: () => import('../pages/items/ItemFormPage.vue'),
        meta: { title: 'Edit item', permission: 'core.items.write' },
      },
      {
        path: 'categories',
        name: 'categories',
        component: () => import('../pages/categories/CategoriesPage.vue'),
        meta: { title: 'Categories', permission: 'core.items.read' },
      },
      {
        path: 'locations',
        name: 'locations',
        component: () => import('../pages/locations/LocationsPage.vue'),
        meta: { title: 'Locations', permission: 'core.locations.read' },
      },
      {
        path: 'locations/:id',
        name: 'location-detail',
        props: true,
        component: () => import('../pages/locations/LocationDetailPage.vue'),
        meta: { title: 'Location', permission: 'core.locations.read' },
      },
      {
        path: 'identifiers',
        name: 'identifiers',
        component: () => import('../pages/identifiers/IdentifiersPage.vue'),
        meta: { title: 'Identifiers', permission: 'core.identifiers.read' },
      },
      {
        path: 'users',
        name: 'users',
        component: () => import('../pages/users/UsersPage.vue'),
        meta: { title: 'Users', permission: 'core.users.read' },
      },
      {
        path: 'roles',
        name: 'roles',
        component: () => import('../pages/users/RolesPage.vue'),
        meta: { title: 'Roles', permission: 'core.users.read' },
      },
      {
        path: 'api-tokens',
        name: 'api-tokens',
        component: () => import('../pages/tokens/ApiTokensPage.vue'),
        meta: { title: 'API tokens', permission: 'core.tokens.manage' },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('../pages/audit/AuditPage.vue'),
        meta: { title: 'Audit log', permission: 'core.audit.read' },
      },
      {
        path: 'event-deliveries',
        name: 'event-deliveries',
        component: () => import('../pages/events/EventDeliveriesPage.vue'),
        meta: { title: 'Event deliveries', permission: 'core.events.read' },
      },
      {
        path: 'devices',
        name: 'devices',
        component: () => import('../pages/devices/DevicesPage.vue'),
        meta: { title: 'Devices', permission: 'core.devices.read' },
      },
      {
        path: 'devices/ingestion',
        name: 'device-ingestion',
        component: () => import('../pages/devices/DeviceIngestionPage.vue'),
        meta: { title: 'Device ingestion', permission: 'core.devices.read' },
      },
      {
        path: 'devices/:id',
        name: 'device-detail',
        props: true,
        component: () => import('../pages/devices/DeviceDetailPage.vue'),
        meta: { title: 'Device', permission: 'core.devices.read' },
      },
      {
        path: 'webhooks',
        name: 'webhooks',
        component: () => import('../pages/webhooks/WebhooksPage.vue'),
        meta: { title: 'Webhooks', permission: 'core.webhooks.read' },
      },
      {
        path: 'webhooks/:id',
        name: 'webhook-detail',
        props: true,
        component: () => import('../pages/webhooks/WebhookDetailPage.vue'),
        meta: { title: 'Webhook', permission: 'core.webhooks.read' },
      },
      {
        path: 'event-catalogue',
        name: 'event-catalogue',
        component: () => import('../pages/events/EventCataloguePage.vue'),
        meta: { title: 'Event catalogue', permission: 'core.events.read' },
      },
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('../pages/ForbiddenPage.vue'),
        meta: { title: 'Not allowed' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('../pages/NotFoundPage.vue'),
        meta: { title: 'Not found' },
      },
    ],
  },
];

export interface AppRouterOptions {
  history: RouterHistory;
  /** First-party console plugin modules, normally `adminPlugins` from the virtual module. */
  loaders: Record<string, AdminPluginLoader>;
}

export function createAppRouter({ history, loaders }: AppRouterOptions) {
  const router = createRouter({ history, routes: coreRoutes });

  router.beforeEach(async (to) => {
    const session = useSessionStore();
    const platform = usePlatformStore();
    if (!session.booted) await session.boot();

    if (to.meta.public) {
      if (to.name === 'login' && session.loggedIn) {
        const redirect = typeof to.query.redirect === 'string' ? to.query.redirect : '/';
        return redirect.startsWith('/') && !redirect.startsWith('//') ? redirect : '/';
      }
      return true;
    }
    if (!session.loggedIn) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (!platform.ready) {
      await platform.load(router, session.permissions, loaders);
      // Plugin routes were just added: resolve the URL again so a deep link into a plugin page lands.
      if (to.name === 'not-found') return to.fullPath;
    }
    if (!session.can(to.meta.permission)) return { name: 'forbidden', query: { from: to.fullPath } };
    return true;
  });

  router.afterEach((to) => {
    if (typeof document !== 'undefined') document.title = to.meta.title ? `${to.meta.title} · Quartermaster` : 'Quartermaster';
  });

  return router;
}
