import { ElMessage } from 'element-plus';
import { ref } from 'vue';
import { ApiProblem } from '../api/client';

/** Human text for any error: the problem's detail, else its title, else the message. */
export function problemText(err: unknown): string {
  if (err instanceof ApiProblem) return err.detail ?? err.title;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Toast an error the way every page does. */
export function showProblem(err: unknown): void {
  ElMessage.error({ message: problemText(err), grouping: true, showClose: true });
}

/**
 * Field errors for an Element Plus form: bind `:error="fieldErrors.name"` on each ElFormItem.
 * `capture(err)` fills them from a 400 problem and toasts the detail; `clear()` before submitting.
 */
export function useFieldErrors() {
  const fieldErrors = ref<Record<string, string>>({});
  function clear() {
    fieldErrors.value = {};
  }
  function capture(err: unknown) {
    fieldErrors.value = err instanceof ApiProblem ? err.fieldErrors : {};
    showProblem(err);
  }
  return { fieldErrors, clear, capture };
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString();
}
