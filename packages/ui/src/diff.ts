export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface DiffRow {
  path: string;
  before: unknown;
  after: unknown;
  change: ChangeKind;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>) {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  }
}

/** Field-by-field diff of two JSON snapshots (audit `before`/`after`), nested objects flattened to dotted paths. */
export function jsonDiff(before: unknown, after: unknown): DiffRow[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before ?? {}, '', a);
  flatten(after ?? {}, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.map((path) => {
    const inA = a.has(path);
    const inB = b.has(path);
    const va = a.get(path);
    const vb = b.get(path);
    const change: ChangeKind = !inA ? 'added' : !inB ? 'removed' : JSON.stringify(va) === JSON.stringify(vb) ? 'unchanged' : 'changed';
    return { path, before: va, after: vb, change };
  });
}

export function formatJsonValue(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
