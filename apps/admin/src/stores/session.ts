import { permitted } from '@quartermaster/sdk/admin';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiProblem } from '../api/client';
import { coreApi } from '../api/core';
import type { SessionInfo, SessionUser } from '../api/types';

export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null);
  const permissions = ref<string[]>([]);
  const booted = ref(false);
  /** Set when the boot check failed for a reason other than "not signed in". */
  const bootError = ref<string | null>(null);

  const loggedIn = computed(() => user.value !== null);
  const permissionSet = computed(() => new Set(permissions.value));

  function apply(info: SessionInfo | null) {
    user.value = info?.user ?? null;
    permissions.value = info?.permissions ?? [];
    api.csrfToken = info?.csrfToken ?? null;
  }

  /** `GET /session` once: decides whether the console starts signed in. */
  async function boot() {
    try {
      apply(await coreApi.session.get());
      bootError.value = null;
    } catch (err) {
      apply(null);
      if (!(err instanceof ApiProblem && err.status === 401)) {
        bootError.value = err instanceof ApiProblem ? (err.detail ?? err.title) : String(err);
      }
    } finally {
      booted.value = true;
    }
  }

  async function login(email: string, password: string) {
    apply(await coreApi.session.login(email, password));
    booted.value = true;
  }

  async function logout() {
    try {
      await coreApi.session.logout();
    } finally {
      apply(null);
    }
  }

  /** The session ended server-side (a 401 on some call): forget it locally. */
  function expire() {
    apply(null);
  }

  function can(permission: string | undefined | null): boolean {
    return !permission || permitted(permissionSet.value, permission);
  }

  return { user, permissions, booted, bootError, loggedIn, permissionSet, boot, login, logout, expire, can };
});
