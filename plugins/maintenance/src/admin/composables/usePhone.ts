import { onBeforeUnmount, onMounted, ref, watch } from 'vue';

/** Narrow screens (phones, small tablets) where a page takes the whole screen over the console's navigation. */
export const PHONE_QUERY = '(max-width: 768px)';
const LOCK_CLASS = 'qm-mt-fullscreen-lock';

/**
 * Whether the screen is phone-sized, for pages that cover the shell on a phone (the work order and
 * the breakdown report): the shell's sidebar is fixed-width, so on 360 px such a page goes full
 * screen, and while it is up the console behind it does not scroll. Dialogs use it to go full screen.
 */
export function usePhone(options: { lockScroll?: boolean } = {}) {
  const phone = ref(false);
  let mq: MediaQueryList | null = null;
  const onChange = () => (phone.value = !!mq?.matches);
  if (options.lockScroll) watch(phone, (p) => document.documentElement.classList.toggle(LOCK_CLASS, p));
  onMounted(() => {
    if (typeof window.matchMedia !== 'function') return;
    mq = window.matchMedia(PHONE_QUERY);
    onChange();
    mq.addEventListener?.('change', onChange);
  });
  onBeforeUnmount(() => {
    mq?.removeEventListener?.('change', onChange);
    if (options.lockScroll) document.documentElement.classList.remove(LOCK_CLASS);
  });
  return phone;
}
