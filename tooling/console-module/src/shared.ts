/**
 * The libraries a console module shares with the shell, and how their named exports are found at
 * build time: the shim for `vue` must re-export every name a module (or the SFC compiler's output)
 * may import, so the names are read from the real package's browser ES entry, following
 * `export * from` through the package and its dependencies (vue → @vue/runtime-dom → …).
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'vite';

/** The global the shell fills before any module loads: `{ [specifier]: moduleNamespace }`. */
export const SHARED_GLOBAL = '__QUARTERMASTER_SHARED__';

export interface SharedLibrary {
  /** What a module imports, and the key on `globalThis.__QUARTERMASTER_SHARED__`. */
  specifier: string;
  /** The npm package, and the key in the module manifest's `shared` versions. */
  packageName: string;
}

export const SHARED_LIBRARIES: readonly SharedLibrary[] = [
  { specifier: 'vue', packageName: 'vue' },
  { specifier: 'pinia', packageName: 'pinia' },
  { specifier: 'vue-router', packageName: 'vue-router' },
  { specifier: 'element-plus', packageName: 'element-plus' },
  { specifier: '@quartermaster/ui', packageName: '@quartermaster/ui' },
  // Console code imports the admin entry only; the root entry is the server contract.
  { specifier: '@quartermaster/sdk/admin', packageName: '@quartermaster/sdk' },
];

export interface ResolvedShared extends SharedLibrary {
  /** The package's folder (symlinks resolved). */
  dir: string;
  version: string;
  /** The file the specifier's browser ES entry points at. */
  entry: string;
  /** Named exports (and `default` when present), sorted. */
  exports: string[];
}

interface PackageJson {
  name?: string;
  version?: string;
  exports?: unknown;
  module?: string;
  main?: string;
}

/** Conditions a browser bundler picks, in the package's own key order; `node` and `require` never. */
const CONDITIONS = new Set(['browser', 'import', 'module', 'default']);

function readJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** `@scope/name/sub/path` → `['@scope/name', './sub/path']`. */
export function splitSpecifier(specifier: string): [string, string] {
  const parts = specifier.split('/');
  const n = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, n).join('/');
  const rest = parts.slice(n).join('/');
  return [name, rest ? `./${rest}` : '.'];
}

/** The package folder `name` resolves to from `fromDir`, walking up node_modules as Node does. */
export function findPackageDir(name: string, fromDir: string): string | null {
  let dir = path.resolve(fromDir);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return realpathSync(path.dirname(candidate));
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function pickCondition(target: unknown): string | null {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const hit = pickCondition(t);
      if (hit) return hit;
    }
    return null;
  }
  if (target && typeof target === 'object') {
    for (const [key, value] of Object.entries(target)) {
      if (!CONDITIONS.has(key)) continue;
      const hit = pickCondition(value);
      if (hit) return hit;
    }
  }
  return null;
}

/** The file `subpath` (`.` or `./admin`) of the package in `dir` points at for a browser ES build. */
export function packageEntry(dir: string, subpath: string): string {
  const pkg = readJson(path.join(dir, 'package.json'));
  let target: string | null = null;
  if (pkg.exports !== undefined) {
    const exp = pkg.exports;
    const isSubpathMap = exp && typeof exp === 'object' && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.'));
    if (isSubpathMap) {
      const map = exp as Record<string, unknown>;
      if (subpath in map) target = pickCondition(map[subpath]);
      else {
        for (const [key, value] of Object.entries(map)) {
          const star = key.indexOf('*');
          if (star < 0) continue;
          const [pre, post] = [key.slice(0, star), key.slice(star + 1)];
          if (subpath.startsWith(pre) && subpath.endsWith(post) && subpath.length >= pre.length + post.length) {
            const matched = subpath.slice(pre.length, subpath.length - post.length);
            target = pickCondition(value)?.replace('*', matched) ?? null;
            break;
          }
        }
      }
    } else if (subpath === '.') target = pickCondition(exp);
  } else if (subpath === '.') target = pkg.module ?? pkg.main ?? 'index.js';
  else target = subpath;
  if (!target) throw new Error(`${pkg.name ?? dir} has no browser ES entry for "${subpath}"`);
  return resolveFile(path.resolve(dir, target));
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs'];

function resolveFile(base: string): string {
  const isFile = (f: string) => existsSync(f) && statSync(f).isFile();
  if (isFile(base)) return base;
  // TypeScript sources written for ESM import `./x.js` that is `./x.ts` on disk.
  const stem = base.replace(/\.(m?js)$/, '');
  for (const ext of EXTENSIONS) if (isFile(stem + ext)) return stem + ext;
  for (const ext of EXTENSIONS) if (isFile(path.join(base, 'index' + ext))) return path.join(base, 'index' + ext);
  throw new Error(`Cannot resolve ${base}`);
}

/**
 * Every value export of `file`: `export const/function/class`, `export { a, b as c }`,
 * `export { x } from`, `export * as ns from`, and — recursively — the names of `export * from`.
 * Type-only exports are left out.
 */
export function collectExports(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const result = parseSync(file, readFileSync(file, 'utf8'));
  if (result.errors.length > 0) throw new Error(`Cannot read the exports of ${file}: ${result.errors[0]!.message}`);
  for (const statement of result.module.staticExports) {
    for (const entry of statement.entries) {
      if (entry.isType) continue;
      if (entry.exportName.kind === 'Name' && entry.exportName.name) names.add(entry.exportName.name);
      else if (entry.exportName.kind === 'Default') names.add('default');
      else if (entry.importName.kind === 'AllButDefault' && entry.moduleRequest) {
        const request = entry.moduleRequest.value;
        let target: string;
        if (request.startsWith('.') || path.isAbsolute(request)) target = resolveFile(path.resolve(path.dirname(file), request));
        else {
          const [name, subpath] = splitSpecifier(request);
          const dir = findPackageDir(name, path.dirname(file));
          if (!dir) throw new Error(`Cannot resolve "${request}" from ${file}`);
          target = packageEntry(dir, subpath);
        }
        for (const n of collectExports(target, seen)) if (n !== 'default') names.add(n);
      }
    }
  }
  return names;
}

/**
 * Resolve each shared library from the module's own folder first (the versions it was developed
 * against), then from this tool's dependencies.
 */
export function resolveSharedLibraries(root: string, libraries: readonly SharedLibrary[] = SHARED_LIBRARIES): ResolvedShared[] {
  const toolDir = path.dirname(fileURLToPath(import.meta.url));
  return libraries.map((lib) => {
    const [name, subpath] = splitSpecifier(lib.specifier);
    const dir = findPackageDir(name, root) ?? findPackageDir(name, toolDir);
    if (!dir) throw new Error(`Cannot find "${name}" from ${root}: install it (the console module is built against it)`);
    const version = readJson(path.join(dir, 'package.json')).version;
    if (!version) throw new Error(`${name} has no version in its package.json`);
    const entry = packageEntry(dir, subpath);
    return { ...lib, dir, version, entry, exports: [...collectExports(entry)].sort() };
  });
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Source of the shim that stands in for `lib`: the shell's instance, read from the global. */
export function renderShim(lib: Pick<ResolvedShared, 'specifier' | 'exports'>): string {
  const ns = '__qm_shared_namespace__';
  const lines = [
    `// ${lib.specifier}: the Quartermaster console's own instance (globalThis.${SHARED_GLOBAL}), never a copy.`,
    `const ${ns} = globalThis.${SHARED_GLOBAL}?.[${JSON.stringify(lib.specifier)}];`,
    `if (!${ns}) throw new Error(${JSON.stringify(
      `This console module needs the Quartermaster console's "${lib.specifier}" (globalThis.${SHARED_GLOBAL}); load it inside the console, not on its own.`,
    )});`,
  ];
  const named = lib.exports.filter((n) => n !== 'default' && IDENTIFIER.test(n) && n !== ns);
  named.forEach((n, i) => lines.push(`const __qm_${i} = ${ns}[${JSON.stringify(n)}];`));
  if (named.length > 0) lines.push(`export { ${named.map((n, i) => `__qm_${i} as ${n}`).join(', ')} };`);
  if (lib.exports.includes('default')) lines.push(`export default ${ns}.default;`);
  return lines.join('\n') + '\n';
}
