import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { DefaultTheme } from 'vitepress';
import config from '../.vitepress/config.js';

// The documentation site as CI builds it. VitePress itself fails the build on a dead link in a
// page's markdown; it does not look at the sidebar and nav of the config, at images, or at the
// #anchors of links. This test builds into a temporary folder (never docs/.vitepress/dist) and
// checks every internal href and src of every built page against the built files.
const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
let out: string;
let build: ReturnType<typeof spawnSync>;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'qm-docs-'));
  const vitepress = join(docs, 'node_modules', '.bin', 'vitepress');
  build = spawnSync(vitepress, ['build', '.', '--outDir', out], { cwd: docs, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
});

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? htmlFiles(path) : name.endsWith('.html') ? [path] : [];
  });
}

/** The built file a site path is served from (clean URLs: `/guide/x` → `guide/x.html`, `/admin/` → `admin/index.html`). */
function builtFile(pathname: string): string | null {
  const p = decodeURIComponent(pathname).replace(/^\//, '');
  const candidates = p === '' || p.endsWith('/') ? [join(out, p, 'index.html')] : [join(out, p), join(out, `${p}.html`), join(out, p, 'index.html')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

const ids = new Map<string, Set<string>>();
function idsOf(file: string): Set<string> {
  if (!ids.has(file)) ids.set(file, new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => decodeHtml(m[1]))));
  return ids.get(file)!;
}
const decodeHtml = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** Why an internal reference from `page` does not resolve, or null when it does (or is not internal). */
function brokenReason(page: string, ref: string): string | null {
  if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(ref)) return null; // https:, mailto:, data:, protocol-relative
  const from = new URL(`http://docs.local/${relative(out, page).split('\\').join('/')}`);
  const url = new URL(decodeHtml(ref), from);
  const file = url.pathname === from.pathname ? page : builtFile(url.pathname);
  if (!file) return 'no such file';
  const hash = decodeURIComponent(url.hash.slice(1));
  if (hash && file.endsWith('.html') && !idsOf(file).has(hash)) return `no #${hash} in ${relative(out, file)}`;
  return null;
}

test('the site builds without dead links', () => {
  expect(build.error).toBeUndefined();
  expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
  expect(existsSync(join(out, 'index.html'))).toBe(true);
});

test('every internal link and image of every built page resolves, anchors included', () => {
  const pages = htmlFiles(out);
  expect(pages.length).toBeGreaterThan(30);
  const broken: string[] = [];
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    for (const m of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
      const reason = brokenReason(page, m[2]);
      if (reason) broken.push(`${relative(out, page)}: ${m[1]}="${m[2]}" — ${reason}`);
    }
  }
  expect(broken).toEqual([]);
});

test('every sidebar and nav link of the config names a built page', () => {
  const links: string[] = [];
  const walk = (items: (DefaultTheme.SidebarItem | DefaultTheme.NavItem)[]) => {
    for (const item of items) {
      if ('link' in item && item.link) links.push(item.link);
      if ('items' in item && item.items) walk(item.items as DefaultTheme.SidebarItem[]);
    }
  };
  const theme = config.themeConfig!;
  walk(theme.nav ?? []);
  walk(Array.isArray(theme.sidebar) ? theme.sidebar : Object.values(theme.sidebar ?? {}).flatMap((s) => (Array.isArray(s) ? s : s.items)));
  expect(links.length).toBeGreaterThan(30);
  expect(links.filter((l) => !l.startsWith('http') && !builtFile(l.split('#')[0]))).toEqual([]);
});

test('the admin guide embeds the screenshots the browser tests take, and each exists', () => {
  const guide = readdirSync(join(docs, 'admin')).map((f) => readFileSync(join(docs, 'admin', f), 'utf8')).join('\n');
  const shots = [...guide.matchAll(/!\[[^\]]*\]\((\/screenshots\/[^)]+\.png)\)/g)].map((m) => m[1]);
  expect(shots.length).toBeGreaterThanOrEqual(12);
  expect(shots.filter((s) => !existsSync(join(out, s)))).toEqual([]);
});
