/**
 * Builds a plugin's console pages as a prebuilt ES module the Quartermaster console loads at run
 * time. Vite library mode, ES format, lazy pages kept as their own chunks; the shared libraries
 * (Vue, Pinia, vue-router, Element Plus, @quartermaster/ui, @quartermaster/sdk/admin) are replaced
 * by shims that hand out the shell's instances, so a module has one Vue, one router and one store
 * with the console. Next to the code it writes `quartermaster-console.json`: the entry, the CSS
 * and the versions of the shared libraries it was built against, which the console checks.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import vue, { type Options as VueOptions } from '@vitejs/plugin-vue';
import { build, type Plugin } from 'vite';
import { renderShim, resolveSharedLibraries, splitSpecifier, type ResolvedShared, type SharedLibrary } from './shared.js';

export { SHARED_GLOBAL, SHARED_LIBRARIES, collectExports, renderShim, resolveSharedLibraries, type ResolvedShared, type SharedLibrary } from './shared.js';

/** The file the console reads; it sits in the module's folder (`PluginDefinition.console.dir`). */
export const MANIFEST_FILE = 'quartermaster-console.json';

export interface ConsoleModuleManifest {
  /** The plugin id: the module's pages mount under `/<id>/…`. */
  id: string;
  /** The ES entry, relative to the manifest; its default export is the `AdminPluginDefinition`. */
  entry: string;
  /** Stylesheets to load before the entry, relative to the manifest. */
  css: string[];
  /** Package name → the version this module was built against. */
  shared: Record<string, string>;
}

export interface BuildConsoleModuleOptions {
  /** The plugin package's folder. */
  root: string;
  /** The console entry, relative to `root`. Default `src/admin/index.ts`. */
  entry?: string;
  /** Where the module goes, relative to `root` (or absolute). Default `dist/console`; emptied first. */
  outDir?: string;
  /** Default: the package name without scope and `plugin-` prefix (`@acme/plugin-thermo` → `thermo`). */
  pluginId?: string;
  /** Vite's log level. Default `warn`. */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

export interface BuildConsoleModuleResult {
  outDir: string;
  manifestPath: string;
  manifest: ConsoleModuleManifest;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const SHIM_PREFIX = '\0qm-shared:';
const EMPTY = '\0qm-empty';

/** The plugin id a package's name implies. */
export function pluginIdFromPackage(name: string): string {
  return name.replace(/^@[^/]+\//, '').replace(/^(quartermaster-)?plugin-/, '');
}

/**
 * Replaces imports of the shared libraries with shims, refuses imports that would bundle a second
 * copy of one (deep imports, the server SDK), and drops Element Plus stylesheets (the console
 * loads all of Element Plus' CSS itself).
 */
export function sharedLibrariesPlugin(shared: Pick<ResolvedShared, 'specifier' | 'packageName' | 'exports'>[]): Plugin {
  const bySpecifier = new Map(shared.map((s) => [s.specifier, s]));
  const packages = new Set(shared.map((s) => s.packageName));
  return {
    name: 'quartermaster-console-shared',
    enforce: 'pre',
    resolveId(id) {
      if (bySpecifier.has(id)) return SHIM_PREFIX + id;
      if (id.startsWith('\0')) return null;
      if (/^element-plus\/.*\.css$/.test(id) || /^element-plus\/(es|lib)\/components\/[^/]+\/style\//.test(id)) return EMPTY;
      const [name] = splitSpecifier(id);
      if (packages.has(name)) {
        const allowed = shared.filter((s) => s.packageName === name).map((s) => `"${s.specifier}"`);
        this.error(
          `"${id}" would bundle a second copy of ${name}; a console module imports ${allowed.join(' or ')}, which the console shares with it`,
        );
      }
      return null;
    },
    load(id) {
      if (id === EMPTY) return '';
      if (!id.startsWith(SHIM_PREFIX)) return null;
      return renderShim(bySpecifier.get(id.slice(SHIM_PREFIX.length))!);
    },
  };
}

export async function buildConsoleModule(options: BuildConsoleModuleOptions): Promise<BuildConsoleModuleResult> {
  const root = path.resolve(options.root);
  const entry = path.resolve(root, options.entry ?? path.join('src', 'admin', 'index.ts'));
  const outDir = path.resolve(root, options.outDir ?? path.join('dist', 'console'));
  if (!existsSync(entry)) throw new Error(`No console entry at ${entry} (pass --entry)`);
  let pluginId = options.pluginId;
  if (!pluginId) {
    const pkgFile = path.join(root, 'package.json');
    const name = existsSync(pkgFile) ? (JSON.parse(readFileSync(pkgFile, 'utf8')) as { name?: string }).name : undefined;
    if (!name) throw new Error(`No plugin id: pass --id, or run in a package whose package.json has a name`);
    pluginId = pluginIdFromPackage(name);
  }
  if (!ID_PATTERN.test(pluginId)) throw new Error(`"${pluginId}" is not a plugin id (lowercase letters, digits, dashes)`);

  const shared = resolveSharedLibraries(root);
  // The SFC compiler of the Vue the module is built against (resolved here, so a plugin package
  // need not be where this tool is).
  const vueDir = shared.find((s) => s.packageName === 'vue')!.dir;
  const compiler = createRequire(path.join(vueDir, 'package.json'))('vue/compiler-sfc') as NonNullable<VueOptions['compiler']>;

  const output = await build({
    root,
    configFile: false,
    envDir: false,
    logLevel: options.logLevel ?? 'warn',
    mode: 'production',
    publicDir: false,
    plugins: [sharedLibrariesPlugin(shared), vue({ compiler })],
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir,
      emptyOutDir: true,
      copyPublicDir: false,
      minify: true,
      sourcemap: false,
      // One stylesheet for the whole module: lazy chunks in library mode get no CSS loader of
      // their own, so the console loads this file before the entry.
      cssCodeSplit: false,
      lib: { entry, formats: ['es'], fileName: () => 'index.js', cssFileName: 'style' },
      rolldownOptions: {
        // A shim reads every name the library exports; the reads a module does not use go away.
        treeshake: { propertyReadSideEffects: false },
        output: {
          // Hashed names under chunks/ and assets/ may be cached for good; index.js may not.
          chunkFileNames: 'chunks/[name]-[hash].js',
          assetFileNames: 'assets/[name]-[hash][extname]',
        },
      },
    },
  });

  const outputs = (Array.isArray(output) ? output : [output]) as { output: { type: string; fileName: string; isEntry?: boolean; exports?: string[] }[] }[];
  const files = outputs.flatMap((o) => o.output);
  const entryChunk = files.find((f) => f.type === 'chunk' && f.isEntry);
  if (!entryChunk) throw new Error('The build produced no entry chunk');
  if (!entryChunk.exports?.includes('default')) {
    throw new Error(`${path.relative(root, entry)} must \`export default defineAdminPlugin({ … })\``);
  }
  const manifest: ConsoleModuleManifest = {
    id: pluginId,
    entry: entryChunk.fileName,
    css: files.filter((f) => f.type === 'asset' && f.fileName.endsWith('.css')).map((f) => f.fileName).sort(),
    shared: Object.fromEntries(sharedVersions(shared)),
  };
  const manifestPath = path.join(outDir, MANIFEST_FILE);
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { outDir, manifestPath, manifest };
}

/** One version per package (the sdk is shared through its admin entry only). */
function sharedVersions(shared: (SharedLibrary & { version: string })[]): [string, string][] {
  const out = new Map<string, string>();
  for (const s of shared) out.set(s.packageName, s.version);
  return [...out];
}
