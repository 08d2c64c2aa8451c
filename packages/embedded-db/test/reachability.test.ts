import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { assertReachableByPostgresUser } from '../src/index.js';

test('as root, a data folder the postgres user cannot enter is refused with a way out', () => {
  const parent = mkdtempSync(join(tmpdir(), 'qm-private-')); // mode 700
  try {
    const check = () => assertReachableByPostgresUser(join(parent, 'postgres'));
    if (process.getuid?.() === 0) {
      expect(check).toThrow(/cannot enter .*qm-private-.*QM_DATA_DIR=\/var\/lib\/quartermaster/);
      chmodSync(parent, 0o755);
      expect(check).not.toThrow();
    } else {
      // Not root: the server runs as this user, who owns the folder.
      expect(check).not.toThrow();
    }
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
