import type { ResolveResult } from './types';

/** Default resolver: `GET /api/core/identifiers/resolve?value=…` with the session cookie. */
export async function resolveIdentifier(value: string, baseUrl = ''): Promise<ResolveResult> {
  const origin = baseUrl || (typeof location !== 'undefined' ? location.origin : '');
  const res = await fetch(`${origin}/api/core/identifiers/resolve?value=${encodeURIComponent(value)}`, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { detail?: string; title?: string };
      detail = body.detail ?? body.title ?? detail;
    } catch {
      /* not JSON */
    }
    throw new Error(detail);
  }
  return (await res.json()) as ResolveResult;
}
