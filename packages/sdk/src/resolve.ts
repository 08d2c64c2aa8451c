import semver from 'semver';
import { Value } from '@sinclair/typebox/value';
import type { PluginDefinition } from './plugin.js';

/** Stable codes for boot errors; tests and tools switch on them. */
export type ResolutionCode =
  | 'invalid-manifest'
  | 'duplicate-id'
  | 'unknown-plugin'
  | 'missing-dependency'
  | 'disabled-dependency'
  | 'dependency-version-mismatch'
  | 'incompatible-core'
  | 'dependency-cycle'
  | 'invalid-options';

export interface ResolutionProblem {
  code: ResolutionCode;
  /** The plugin the problem is about. */
  pluginId: string;
  message: string;
}

/** Thrown at boot with every problem found, not just the first. */
export class PluginResolutionError extends Error {
  constructor(readonly problems: ResolutionProblem[]) {
    super(
      `Cannot start: ${problems.length} plugin problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((p) => `  - [${p.code}] ${p.pluginId}: ${p.message}`).join('\n'),
    );
    this.name = 'PluginResolutionError';
  }
}

export interface ResolvedPlugin {
  definition: PluginDefinition<any>;
  /** Options after defaults were applied and the schema checked. */
  options: Record<string, unknown>;
}

export interface ResolveInput {
  /** Version of the running core, checked against each plugin's `compatibility`. */
  coreVersion: string;
  /** Every plugin the host knows how to load. */
  available: PluginDefinition<any>[];
  /** The profile: enabled plugin ids with their raw options. */
  enabled: Record<string, Record<string, unknown> | undefined>;
}

const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Decide which plugins load and in what order. Pure: no I/O. Dependencies (and enabled optional
 * dependencies) come before their dependants; ties keep the profile's order.
 */
export function resolvePlugins(input: ResolveInput): ResolvedPlugin[] {
  const problems: ResolutionProblem[] = [];
  const byId = new Map<string, PluginDefinition<any>>();

  for (const def of input.available) {
    if (byId.has(def.id)) {
      problems.push({ code: 'duplicate-id', pluginId: def.id, message: `two plugins use the id "${def.id}"` });
      continue;
    }
    byId.set(def.id, def);
  }

  const enabledIds = Object.keys(input.enabled);
  const enabled: PluginDefinition<any>[] = [];
  for (const id of enabledIds) {
    const def = byId.get(id);
    if (!def) {
      problems.push({
        code: 'unknown-plugin',
        pluginId: id,
        message: `the profile enables "${id}" but no such plugin is installed (known: ${[...byId.keys()].sort().join(', ') || 'none'})`,
      });
      continue;
    }
    enabled.push(def);
  }
  const isEnabled = (id: string) => enabled.some((d) => d.id === id);

  const resolved = new Map<string, ResolvedPlugin>();
  for (const def of enabled) {
    const manifestProblems = checkManifest(def);
    for (const message of manifestProblems) problems.push({ code: 'invalid-manifest', pluginId: def.id, message });

    if (!semver.validRange(def.compatibility) || !semver.satisfies(input.coreVersion, def.compatibility, { includePrerelease: true })) {
      problems.push({
        code: 'incompatible-core',
        pluginId: def.id,
        message: `needs core ${def.compatibility}, but this is core ${input.coreVersion}`,
      });
    }

    for (const [dep, range] of Object.entries(def.dependsOn ?? {})) {
      const target = byId.get(dep);
      if (!target) {
        problems.push({ code: 'missing-dependency', pluginId: def.id, message: `depends on "${dep}" (${range}), which is not installed` });
      } else if (!isEnabled(dep)) {
        problems.push({
          code: 'disabled-dependency',
          pluginId: def.id,
          message: `depends on "${dep}" (${range}), which is not enabled in this profile; enable it or disable "${def.id}"`,
        });
      } else if (!satisfies(target.version, range)) {
        problems.push({
          code: 'dependency-version-mismatch',
          pluginId: def.id,
          message: `depends on "${dep}" ${range}, but ${dep} ${target.version} is installed`,
        });
      }
    }
    for (const [dep, range] of Object.entries(def.optionalDependsOn ?? {})) {
      const target = byId.get(dep);
      if (target && isEnabled(dep) && !satisfies(target.version, range)) {
        problems.push({
          code: 'dependency-version-mismatch',
          pluginId: def.id,
          message: `works with "${dep}" ${range}, but ${dep} ${target.version} is enabled`,
        });
      }
    }

    const raw = structuredClone(input.enabled[def.id] ?? {});
    let options: Record<string, unknown> = raw;
    if (def.options) {
      options = Value.Default(def.options, raw) as Record<string, unknown>;
      // One complaint per option: TypeBox also reports the type of a missing property.
      const seenPaths = new Set<string>();
      const errors = [...Value.Errors(def.options, options)].filter((e) => !seenPaths.has(e.path) && seenPaths.add(e.path));
      for (const e of errors) {
        problems.push({
          code: 'invalid-options',
          pluginId: def.id,
          message: `option ${e.path ? e.path.slice(1).replace(/\//g, '.') : '(root)'}: ${e.message}`,
        });
      }
    }
    resolved.set(def.id, { definition: def, options });
  }

  // Topological order (Kahn), dependencies first; report any cycle as a path.
  const edges = (def: PluginDefinition<any>) =>
    [...Object.keys(def.dependsOn ?? {}), ...Object.keys(def.optionalDependsOn ?? {})].filter((d) => isEnabled(d));
  const order: PluginDefinition<any>[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const reportedCycles = new Set<string>();
  const visit = (def: PluginDefinition<any>, path: string[]) => {
    const s = state.get(def.id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(def.id)), def.id];
      const key = [...cycle.slice(0, -1)].sort().join(',');
      if (!reportedCycles.has(key)) {
        reportedCycles.add(key);
        problems.push({ code: 'dependency-cycle', pluginId: def.id, message: `dependency cycle: ${cycle.join(' -> ')}` });
      }
      return;
    }
    state.set(def.id, 'visiting');
    for (const dep of edges(def)) visit(byId.get(dep)!, [...path, def.id]);
    state.set(def.id, 'done');
    order.push(def);
  };
  for (const def of enabled) visit(def, []);

  if (problems.length) throw new PluginResolutionError(problems);
  return order.map((d) => resolved.get(d.id)!);
}

function satisfies(version: string, range: string): boolean {
  return semver.validRange(range) !== null && semver.satisfies(version, range, { includePrerelease: true });
}

function checkManifest(def: PluginDefinition<any>): string[] {
  const out: string[] = [];
  if (!ID_PATTERN.test(def.id)) out.push(`id "${def.id}" must be lower-case letters, digits and dashes`);
  if (!semver.valid(def.version)) out.push(`version "${def.version}" is not a semver version`);
  if (!semver.validRange(def.compatibility)) out.push(`compatibility "${def.compatibility}" is not a semver range`);
  const prefix = def.id + '.';
  for (const p of def.permissions ?? []) {
    if (!p.id.startsWith(prefix)) out.push(`permission "${p.id}" must start with "${prefix}"`);
  }
  for (const e of def.events?.emits ?? []) {
    if (!e.name.startsWith(prefix)) out.push(`event "${e.name}" must start with "${prefix}"`);
  }
  for (const p of def.extensionPoints ?? []) {
    if (!p.id.startsWith(prefix)) out.push(`extension point "${p.id}" must start with "${prefix}"`);
  }
  const names = (def.migrations ?? []).map((m) => m.name);
  if (new Set(names).size !== names.length) out.push('two migrations share a name');
  return out;
}
