/**
 * Whether a console module built against some versions of the shared libraries can run on the
 * versions this console has. Pure, so the rule is tested on its own.
 *
 * The rule (semver's promise, seen from the module's side):
 * - same major version, always;
 * - for 1.x and later, the console's minor must be the module's or newer: a module built against a
 *   newer minor may use what this console's copy does not have yet; an older minor is fine;
 *   patch versions never matter;
 * - for 0.x, the minor must be the same (0.x minors may break), and for 0.0.x the patch too;
 * - a prerelease matches only exactly the same version;
 * - a library the console does not share at all, or a version that is not semver, is a mismatch.
 */

export interface SharedMismatch {
  /** Package name, e.g. `vue`. */
  library: string;
  /** What the module was built against. */
  moduleVersion: string;
  /** What this console has; null when it does not share the library. */
  shellVersion: string | null;
  /** Why they do not fit, in words for the error panel. */
  reason: string;
}

interface Semver {
  major: number;
  minor: number;
  patch: number;
  prerelease: string | null;
}

export function parseVersion(v: string): Semver | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ?? null };
}

/** Null when a module built against `moduleVersion` runs on `shellVersion`, else the reason it does not. */
export function versionMismatch(moduleVersion: string, shellVersion: string): string | null {
  const built = parseVersion(moduleVersion);
  const shell = parseVersion(shellVersion);
  if (!built) return `"${moduleVersion}" is not a version`;
  if (!shell) return `this console's "${shellVersion}" is not a version`;
  if ((built.prerelease || shell.prerelease) && moduleVersion.split('+')[0] !== shellVersion.split('+')[0]) {
    return 'prerelease versions must match exactly';
  }
  if (built.major !== shell.major) return 'different major versions';
  if (built.major === 0) {
    if (built.minor !== shell.minor) return 'different 0.x minor versions (each may break the other)';
    if (built.minor === 0 && built.patch !== shell.patch) return 'different 0.0.x versions';
    return null;
  }
  if (built.minor > shell.minor) return 'the module was built against a newer minor version than this console has';
  return null;
}

/** Every shared library the module was built against that this console cannot stand in for. */
export function checkSharedVersions(moduleShared: Record<string, string>, shellShared: Record<string, string>): SharedMismatch[] {
  const out: SharedMismatch[] = [];
  for (const [library, moduleVersion] of Object.entries(moduleShared)) {
    const shellVersion = shellShared[library];
    if (shellVersion === undefined) {
      out.push({ library, moduleVersion, shellVersion: null, reason: 'this console does not share this library' });
      continue;
    }
    const reason = versionMismatch(moduleVersion, shellVersion);
    if (reason) out.push({ library, moduleVersion, shellVersion, reason });
  }
  return out;
}
