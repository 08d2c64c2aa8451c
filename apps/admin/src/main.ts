import 'element-plus/dist/index.css';
import './styles.css';
import { adminPlugins } from 'virtual:quartermaster-admin-plugins';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { createWebHistory } from 'vue-router';
import App from './App.vue';
import { api } from './api/client';
import { createAppRouter } from './router';
import { usePlatformStore } from './stores/platform';
import { useSessionStore } from './stores/session';
import { installSharedLibraries } from './plugins/shared';

// Console modules of plugins installed as packages run on these very instances (plugins/shared.ts).
installSharedLibraries();
const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const router = createAppRouter({ history: createWebHistory('/'), loaders: adminPlugins });
app.use(router);

// A 401 on any call means the session ended server-side: go back to sign-in, then return here.
api.onUnauthorized = () => {
  const session = useSessionStore(pinia);
  if (!session.loggedIn) return;
  session.expire();
  usePlatformStore(pinia).reset();
  const here = router.currentRoute.value.fullPath;
  void router.push({ name: 'login', query: here === '/' ? {} : { redirect: here } });
};

void router.isReady().then(() => app.mount('#app'));
