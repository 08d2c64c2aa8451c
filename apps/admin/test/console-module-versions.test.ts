import { describe, expect, it } from 'vitest';
import { checkSharedVersions, versionMismatch } from '../src/plugins/versions';

describe('which shared library versions a console module runs on', () => {
  it.each([
    ['3.5.45', '3.5.45'],
    ['3.5.0', '3.5.45'], // older patch
    ['3.5.50', '3.5.45'], // newer patch: patches add no API
    ['3.4.2', '3.5.45'], // module built against an older minor: the shell still has all of it
    ['0.1.0', '0.1.7'],
    ['0.1.9', '0.1.0'],
    ['0.0.3', '0.0.3'],
    ['4.0.0-beta.1', '4.0.0-beta.1'],
  ])('%s on a console with %s: fits', (built, shell) => {
    expect(versionMismatch(built, shell)).toBeNull();
  });

  it.each([
    ['4.0.0', '3.5.45', 'different major versions'],
    ['2.9.9', '3.5.45', 'different major versions'],
    ['3.6.0', '3.5.45', 'newer minor'],
    ['0.2.0', '0.1.0', '0.x minor'],
    ['0.1.0', '0.2.0', '0.x minor'],
    ['0.0.4', '0.0.3', '0.0.x'],
    ['4.0.0-beta.2', '4.0.0-beta.1', 'prerelease'],
    ['3.5.45', '3.5.46-rc.1', 'prerelease'],
    ['latest', '3.5.45', 'not a version'],
  ])('%s on a console with %s: does not fit (%s)', (built, shell, why) => {
    expect(versionMismatch(built, shell)).toContain(why);
  });

  it('names every library that does not fit, and one the console does not share', () => {
    const mismatches = checkSharedVersions(
      { vue: '4.0.0', pinia: '3.0.4', 'vue-router': '4.7.0', 'chart.js': '4.6.1' },
      { vue: '3.5.45', pinia: '3.0.4', 'vue-router': '4.6.5' },
    );
    expect(mismatches).toEqual([
      { library: 'vue', moduleVersion: '4.0.0', shellVersion: '3.5.45', reason: 'different major versions' },
      { library: 'vue-router', moduleVersion: '4.7.0', shellVersion: '4.6.5', reason: expect.stringContaining('newer minor') },
      { library: 'chart.js', moduleVersion: '4.6.1', shellVersion: null, reason: 'this console does not share this library' },
    ]);
    expect(checkSharedVersions({ vue: '3.5.40' }, { vue: '3.5.45', pinia: '3.0.4' })).toEqual([]);
  });
});
