/**
 * Errors the way the shell shows them, for plugin pages. The shell's client throws problem errors
 * (`status`, `title`, `detail`, `fieldErrors`, `body`); plugins cannot import its class, so they
 * are read by shape here.
 */
import { ElMessage } from 'element-plus';
import { ref } from 'vue';

export interface ProblemLike {
  status: number;
  title?: string;
  detail?: string;
  type?: string;
  fieldErrors?: Record<string, string>;
  body?: Record<string, unknown>;
}

export function asProblem(err: unknown): ProblemLike | null {
  return err && typeof err === 'object' && typeof (err as ProblemLike).status === 'number' ? (err as ProblemLike) : null;
}

/** Human text for any error: the problem's detail, else its title, else the message. */
export function problemText(err: unknown): string {
  const p = asProblem(err);
  if (p) return p.detail ?? p.title ?? `Request failed (${p.status})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** True when the problem `type` ends with the slug, e.g. `isProblem(err, 'insufficient-stock')`. */
export function isProblem(err: unknown, slug: string): boolean {
  const t = asProblem(err)?.type ?? '';
  return t === slug || t.endsWith('/' + slug) || t.endsWith(':' + slug);
}

/** Toast an error the way every console page does. */
export function showProblem(err: unknown): void {
  ElMessage.error({ message: problemText(err), grouping: true, showClose: true });
}

/**
 * Field errors keyed by dotted path (`lines.0.qty`), also under each shorter prefix (`lines.0`,
 * `lines`) unless that one has its own. Besides `errors[]`, a 409 may name its field in an
 * extension member (`field: "lines.1.lot"`), which lands there too.
 */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  const p = asProblem(err);
  if (!p) return {};
  const out: Record<string, string> = {};
  const add = (path: string, message: string) => {
    const parts = path.split('.');
    for (let i = parts.length; i >= 1; i--) {
      const k = parts.slice(0, i).join('.');
      if (!(k in out)) out[k] = message;
    }
  };
  for (const [k, v] of Object.entries(p.fieldErrors ?? {})) add(k, v);
  const extField = p.body?.field;
  if (typeof extField === 'string' && extField) add(extField.replace(/^\/|^body\./, '').replace(/\//g, '.'), p.detail ?? p.title ?? 'invalid');
  return out;
}

/**
 * A form's submit cycle: `submit(action)` clears errors, sets `saving`, and on failure puts field
 * errors next to their fields and the problem text into `error` (shown in an alert by the form)
 * — or toasts it when `toast` is set. Resolves true when `action` succeeded.
 */
export function useFormSubmit(options: { toast?: boolean } = {}) {
  const fieldErrors = ref<Record<string, string>>({});
  const error = ref<string | null>(null);
  const problem = ref<ProblemLike | null>(null);
  const saving = ref(false);

  function clear() {
    fieldErrors.value = {};
    error.value = null;
    problem.value = null;
  }

  /** Client-side checks: shows the messages given (falsy ones pass) and says whether any failed. */
  function invalid(checks: Record<string, string | false | null | undefined>): boolean {
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(checks)) if (message) errors[field] = message;
    fieldErrors.value = errors;
    error.value = Object.keys(errors).length ? 'Check the highlighted fields' : null;
    return Object.keys(errors).length > 0;
  }

  async function submit(action: () => Promise<unknown>): Promise<boolean> {
    clear();
    saving.value = true;
    try {
      await action();
      return true;
    } catch (err) {
      fieldErrors.value = fieldErrorsOf(err);
      problem.value = asProblem(err);
      error.value = problemText(err);
      if (options.toast) showProblem(err);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { fieldErrors, error, problem, saving, clear, invalid, submit };
}
