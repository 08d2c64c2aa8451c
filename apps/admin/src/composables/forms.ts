import { ElMessage, ElMessageBox } from 'element-plus';
import { reactive, ref, shallowRef, type Ref } from 'vue';
import { showProblem, useFieldErrors } from './problems';

/**
 * Submitting a form the console way: `submit(action)` clears the field errors, sets `saving`
 * while `action` runs, and on failure puts the problem's field errors next to their fields and
 * toasts its detail. Resolves true when `action` succeeded.
 */
export function useFormSubmit() {
  const { fieldErrors, clear, capture } = useFieldErrors();
  const saving = ref(false);

  /** Client-side checks: shows the messages given (falsy ones pass) and says whether any failed. */
  function invalid(checks: Record<string, string | false | null | undefined>): boolean {
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(checks)) if (message) errors[field] = message;
    fieldErrors.value = errors;
    return Object.keys(errors).length > 0;
  }

  async function submit(action: () => Promise<unknown>): Promise<boolean> {
    clear();
    saving.value = true;
    try {
      await action();
      return true;
    } catch (err) {
      capture(err);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { fieldErrors, saving, clear, invalid, submit };
}

/**
 * A create/edit dialog around a form: `openCreate()` resets the form to `blank()`, `openEdit(row, values)`
 * fills it from a row; `save(action)` submits like {@link useFormSubmit} and closes the dialog on success.
 */
export function useFormDialog<F extends object, T = never>(blank: () => F) {
  const open = ref(false);
  const editing = shallowRef<T | null>(null) as Ref<T | null>;
  // Forms hold plain values (no refs), so the reactive proxy has the type of the form itself.
  const form = reactive(blank()) as F;
  const { fieldErrors, saving, clear, invalid, submit } = useFormSubmit();

  function show(row: T | null, values: Partial<F>) {
    clear();
    editing.value = row;
    Object.assign(form, blank(), values);
    open.value = true;
  }
  const openCreate = (values: Partial<F> = {}) => show(null, values);
  const openEdit = (row: T, values: Partial<F>) => show(row, values);

  async function save(action: () => Promise<unknown>): Promise<boolean> {
    const ok = await submit(action);
    if (ok) open.value = false;
    return ok;
  }

  return { open, editing, form, fieldErrors, saving, invalid, openCreate, openEdit, save };
}

export interface Confirmation {
  title: string;
  message: string;
  /** Label of the confirming button, e.g. "Delete". */
  confirm: string;
}

/**
 * Ask before a destructive action, then run it: cancelling does nothing, a failure is toasted,
 * success shows `done`. Resolves true when the action ran and succeeded (reload then).
 */
export async function confirmAndRun(question: Confirmation, action: () => Promise<unknown>, done: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(question.message, question.title, { type: 'warning', confirmButtonText: question.confirm });
  } catch {
    return false;
  }
  try {
    await action();
    ElMessage.success(done);
    return true;
  } catch (err) {
    showProblem(err);
    return false;
  }
}
