/**
 * Writes a new plugin package from the templates in `../templates`: real, readable files whose
 * placeholder tokens (`__PLUGIN_ID__`, `__PLUGIN_SNAKE__`, `__PluginCamel__`, …) are replaced by the
 * new plugin's names. Nothing is written unless the id is acceptable and the folder is free.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATES_DIR = fileURLToPath(new URL('../templates', import.meta.url));
/** The repository this tool lives in (tooling/create-plugin/src → the root). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Same rule as the loader's (`@quartermaster/sdk` resolve): lower-case letters and digits, single dashes. */
export const PLUGIN_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Table names are at most 63 bytes in PostgreSQL; the longest generated one adds 19 characters. */
export const PLUGIN_ID_MAX = 40;

/**
 * Ids a plugin cannot take: the core, the API's and the console's own top-level paths (a plugin's
 * routes mount at `/api/<id>`, its pages at `/<id>`), and the platform's package names.
 */
export const RESERVED_IDS = new Set([
  'core', 'api', 'admin', 'console', 'app', 'sdk', 'ui', 'testing', 'server', 'docs', 'mig', 'plugin', 'plugins', 'quartermaster',
  'login', 'logout', 'forbidden', 'audit', 'devices', 'locations', 'items', 'categories', 'identifiers', 'users', 'roles',
  'api-tokens', 'webhooks', 'event-catalogue', 'event-deliveries', 'health', 'openapi',
]);

export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

/** Ids of the plugins in this repository (`plugins/*`), by folder and by package name. */
export function existingPluginIds(repoRoot = REPO_ROOT): Set<string> {
  const ids = new Set<string>();
  const dir = join(repoRoot, 'plugins');
  if (!existsSync(dir)) return ids;
  for (const name of readdirSync(dir)) {
    const pkg = join(dir, name, 'package.json');
    if (!existsSync(pkg)) continue;
    ids.add(name);
    const pkgName = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name ?? '';
    const m = /^@quartermaster\/plugin-(.+)$/.exec(pkgName);
    if (m) ids.add(m[1]);
  }
  return ids;
}

/** Why `id` cannot be a new plugin's id, or null when it can. */
export function checkNewPluginId(id: string, existing: ReadonlySet<string> = existingPluginIds()): string | null {
  if (!id) return 'a plugin id is required, e.g. `pnpm create-plugin demo-widget`';
  if (!PLUGIN_ID_PATTERN.test(id)) {
    return `"${id}" is not a plugin id: use lower-case letters and digits separated by single dashes, starting with a letter (e.g. "demo-widget")`;
  }
  if (id.length > PLUGIN_ID_MAX) return `"${id}" is too long: at most ${PLUGIN_ID_MAX} characters, so table names stay within PostgreSQL's 63`;
  if (RESERVED_IDS.has(id)) return `"${id}" is reserved by the platform; choose another id`;
  if (existing.has(id)) return `"${id}" is already a plugin in this repository (plugins/${id}); choose another id`;
  return null;
}

export interface PluginNames {
  id: string;
  /** `demo_widget`: the table prefix. */
  snake: string;
  /** `demoWidget` */
  camel: string;
  /** `DemoWidget` */
  pascal: string;
  /** `Demo widget` unless given. */
  displayName: string;
}

export function namesOf(id: string, displayName?: string): PluginNames {
  const parts = id.split('-');
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return {
    id,
    snake: parts.join('_'),
    camel: parts[0] + parts.slice(1).map(cap).join(''),
    pascal: parts.map(cap).join(''),
    displayName: displayName?.trim() || cap(parts.join(' ')),
  };
}

/** Version ranges the new package's dependencies get: `workspace:^` inside this repository, carets outside. */
export interface DependencyRanges {
  sdk: string;
  testing: string;
  ui: string;
  consoleModule: string;
  createPlugin: string;
  /** The plugin's `compatibility`: the core versions it works with. */
  core: string;
}

const PACKAGE_DIRS = {
  sdk: 'packages/sdk',
  testing: 'packages/testing',
  ui: 'packages/ui',
  consoleModule: 'tooling/console-module',
  createPlugin: 'tooling/create-plugin',
  core: 'packages/core',
} as const;

function versionOf(repoRoot: string, dir: string): string {
  const pkg = join(repoRoot, dir, 'package.json');
  if (!existsSync(pkg)) throw new ScaffoldError(`cannot read the version of ${dir}: ${pkg} is missing`);
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export function dependencyRanges(insideWorkspace: boolean, repoRoot = REPO_ROOT): DependencyRanges {
  const range = (key: keyof typeof PACKAGE_DIRS) => (insideWorkspace && key !== 'core' ? 'workspace:^' : `^${versionOf(repoRoot, PACKAGE_DIRS[key])}`);
  return {
    sdk: range('sdk'),
    testing: range('testing'),
    ui: range('ui'),
    consoleModule: range('consoleModule'),
    createPlugin: range('createPlugin'),
    core: range('core'),
  };
}

/** Folder globs of the pnpm workspace (`pnpm-workspace.yaml` → `packages:`), e.g. `plugins/*`. */
export function workspaceGlobs(repoRoot = REPO_ROOT): string[] {
  const file = join(repoRoot, 'pnpm-workspace.yaml');
  if (!existsSync(file)) return [];
  const globs: string[] = [];
  let inPackages = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^packages:\s*$/.test(line)) inPackages = true;
    else if (inPackages && /^\s+-\s+/.test(line)) globs.push(line.replace(/^\s+-\s+/, '').replace(/^['"]|['"]$/g, '').trim());
    else if (inPackages && /^\S/.test(line)) inPackages = false;
  }
  return globs;
}

/** Whether a package at `dir` is a member of this repository's pnpm workspace. */
export function isWorkspaceMember(dir: string, repoRoot = REPO_ROOT): boolean {
  const rel = relative(resolve(repoRoot), resolve(dir));
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return false;
  const parts = rel.split(sep);
  return workspaceGlobs(repoRoot).some((glob) => {
    const g = glob.split('/');
    return g.length === parts.length && g.every((seg, i) => seg === '*' || seg === parts[i]);
  });
}

export interface CreatePluginOptions {
  id: string;
  /** Folder the package folder is made in. Default: `<repo>/plugins`. */
  parentDir?: string;
  displayName?: string;
  repoRoot?: string;
}

export interface CreatedPlugin {
  dir: string;
  packageName: string;
  names: PluginNames;
  insideWorkspace: boolean;
  /** Paths written, relative to `dir`. */
  files: string[];
}

function templateFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...templateFiles(path, base));
    else out.push(relative(base, path));
  }
  return out;
}

/** The text with every placeholder token of the templates replaced. */
export function render(text: string, names: PluginNames, ranges: DependencyRanges): string {
  const tokens: Record<string, string> = {
    __PLUGIN_ID__: names.id,
    __PLUGIN_SNAKE__: names.snake,
    __PluginCamel__: names.camel,
    __PluginPascal__: names.pascal,
    __DISPLAY_NAME__: names.displayName,
    __SDK_RANGE__: ranges.sdk,
    __TESTING_RANGE__: ranges.testing,
    __UI_RANGE__: ranges.ui,
    __CONSOLE_MODULE_RANGE__: ranges.consoleModule,
    __CREATE_PLUGIN_RANGE__: ranges.createPlugin,
    __CORE_RANGE__: ranges.core,
  };
  return text.replace(/__(PLUGIN_ID|PLUGIN_SNAKE|PluginCamel|PluginPascal|DISPLAY_NAME|[A-Z_]+_RANGE)__/g, (token) => {
    const value = tokens[token];
    if (value === undefined) throw new ScaffoldError(`template token ${token} has no value`);
    return value;
  });
}

/** Template files whose names npm would drop or treat specially are stored under another name. */
const RENAMED: Record<string, string> = { _gitignore: '.gitignore' };

/**
 * Write the package. Throws a {@link ScaffoldError} (and writes nothing) for an unacceptable id or
 * an existing folder; a failure half-way removes what it wrote.
 */
export function createPlugin(options: CreatePluginOptions): CreatedPlugin {
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const id = options.id;
  const problem = checkNewPluginId(id, existingPluginIds(repoRoot));
  if (problem) throw new ScaffoldError(problem);
  const parentDir = resolve(options.parentDir ?? join(repoRoot, 'plugins'));
  const dir = join(parentDir, id);
  if (existsSync(dir)) throw new ScaffoldError(`${dir} already exists; remove it or choose another id or --dir`);

  const names = namesOf(id, options.displayName);
  const insideWorkspace = isWorkspaceMember(dir, repoRoot);
  const ranges = dependencyRanges(insideWorkspace, repoRoot);
  // Render everything first, so a bad template fails before anything is on disk.
  const outputs = templateFiles(TEMPLATES_DIR).map((rel) => {
    const parts = rel.split(sep).map((p) => RENAMED[p] ?? p);
    return { rel: render(parts.join(sep), names, ranges), text: render(readFileSync(join(TEMPLATES_DIR, rel), 'utf8'), names, ranges) };
  });
  try {
    for (const out of outputs) {
      const path = join(dir, out.rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, out.text, { flag: 'wx' });
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, packageName: `@quartermaster/plugin-${id}`, names, insideWorkspace, files: outputs.map((o) => o.rel).sort() };
}
