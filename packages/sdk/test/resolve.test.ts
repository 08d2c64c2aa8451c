import { describe, expect, test } from 'vitest';
import { Type } from '@sinclair/typebox';
import { definePlugin, PluginResolutionError, resolvePlugins, type PluginDefinition, type ResolutionProblem } from '../src/index.js';

const plugin = (id: string, extra: Partial<PluginDefinition<any>> = {}) =>
  definePlugin({ id, version: '1.0.0', compatibility: '^1.0.0', ...extra });

function problemsOf(fn: () => unknown): ResolutionProblem[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PluginResolutionError);
    return (err as PluginResolutionError).problems;
  }
  throw new Error('expected resolution to fail');
}

const resolve = (available: PluginDefinition<any>[], enabled: Record<string, Record<string, unknown> | undefined>, coreVersion = '1.4.0') =>
  resolvePlugins({ coreVersion, available, enabled });

describe('resolvePlugins', () => {
  test('orders dependencies before dependants, keeping profile order otherwise', () => {
    const a = plugin('a', { dependsOn: { c: '^1' } });
    const b = plugin('b');
    const c = plugin('c', { optionalDependsOn: { b: '^1' } });
    const order = resolve([a, b, c], { a: {}, b: {}, c: {} }).map((r) => r.definition.id);
    expect(order).toEqual(['b', 'c', 'a']);
  });

  test('an optional dependency that is not enabled is ignored', () => {
    const a = plugin('a', { optionalDependsOn: { maintenance: '^1' } });
    expect(resolve([a], { a: {} }).map((r) => r.definition.id)).toEqual(['a']);
  });

  test('unknown plugin names the plugin and lists the known ones', () => {
    const [p] = problemsOf(() => resolve([plugin('a')], { a: {}, ghost: {} }));
    expect(p).toMatchObject({ code: 'unknown-plugin', pluginId: 'ghost' });
    expect(p.message).toContain('known: a');
  });

  test('missing hard dependency is a boot error, never silently enabled', () => {
    const [p] = problemsOf(() => resolve([plugin('a', { dependsOn: { inventory: '^1' } })], { a: {} }));
    expect(p).toMatchObject({ code: 'missing-dependency', pluginId: 'a' });
    expect(p.message).toContain('inventory');
  });

  test('disabled hard dependency is a boot error', () => {
    const [p] = problemsOf(() => resolve([plugin('a', { dependsOn: { b: '^1' } }), plugin('b')], { a: {} }));
    expect(p).toMatchObject({ code: 'disabled-dependency', pluginId: 'a' });
    expect(p.message).toMatch(/"b".*not enabled/);
  });

  test('dependency version outside the range', () => {
    const [p] = problemsOf(() => resolve([plugin('a', { dependsOn: { b: '^2.0.0' } }), plugin('b')], { a: {}, b: {} }));
    expect(p).toMatchObject({ code: 'dependency-version-mismatch', pluginId: 'a' });
    expect(p.message).toContain('b 1.0.0');
  });

  test('enabled optional dependency outside the range', () => {
    const [p] = problemsOf(() => resolve([plugin('a', { optionalDependsOn: { b: '>=3' } }), plugin('b')], { a: {}, b: {} }));
    expect(p.code).toBe('dependency-version-mismatch');
  });

  test('core compatibility mismatch', () => {
    const [p] = problemsOf(() => resolve([plugin('a', { compatibility: '^2.0.0' })], { a: {} }, '1.4.0'));
    expect(p).toMatchObject({ code: 'incompatible-core', pluginId: 'a' });
    expect(p.message).toContain('core 1.4.0');
  });

  test('a dependency cycle is printed as a path', () => {
    const problems = problemsOf(() =>
      resolve(
        [plugin('a', { dependsOn: { b: '^1' } }), plugin('b', { dependsOn: { c: '^1' } }), plugin('c', { dependsOn: { a: '^1' } })],
        { a: {}, b: {}, c: {} },
      ),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].code).toBe('dependency-cycle');
    expect(problems[0].message).toBe('dependency cycle: a -> b -> c -> a');
  });

  test('duplicate id', () => {
    const [p] = problemsOf(() => resolve([plugin('a'), plugin('a', { version: '2.0.0' })], { a: {} }));
    expect(p).toMatchObject({ code: 'duplicate-id', pluginId: 'a' });
  });

  test('invalid options: every error of every plugin at once', () => {
    const options = Type.Object({ book: Type.String({ minLength: 1 }), periods: Type.Integer({ minimum: 1 }) });
    const problems = problemsOf(() =>
      resolve([plugin('a', { options }), plugin('b', { options })], { a: { book: '', periods: 0 }, b: { periods: 'x' } }),
    );
    expect(problems.map((p) => `${p.pluginId}:${p.code}`)).toEqual(
      expect.arrayContaining(['a:invalid-options', 'b:invalid-options']),
    );
    expect(problems.filter((p) => p.pluginId === 'a').map((p) => p.message).join('\n')).toMatch(/option book[\s\S]*option periods/);
    expect(problems.some((p) => p.pluginId === 'b' && p.message.includes('option book'))).toBe(true);
  });

  test('options get their defaults', () => {
    const options = Type.Object({ defaultBook: Type.String({ default: 'financial' }), months: Type.Integer({ default: 12 }) });
    const [r] = resolve([plugin('a', { options })], { a: { months: 6 } });
    expect(r.options).toEqual({ defaultBook: 'financial', months: 6 });
  });

  test('different problems are all reported together, each naming its plugin', () => {
    const err = (() => {
      try {
        resolve(
          [plugin('a', { dependsOn: { x: '^1' } }), plugin('b', { compatibility: '^9' }), plugin('c', { options: Type.Object({ n: Type.Integer() }) })],
          { a: {}, b: {}, c: {}, d: {} },
        );
      } catch (e) {
        return e as PluginResolutionError;
      }
    })()!;
    expect(err.problems.map((p) => [p.pluginId, p.code])).toEqual(
      expect.arrayContaining([
        ['d', 'unknown-plugin'],
        ['a', 'missing-dependency'],
        ['b', 'incompatible-core'],
        ['c', 'invalid-options'],
      ]),
    );
    expect(err.message).toContain('4 plugin problems');
  });

  test('manifest rules: id shape, semver, permission and event prefixes', () => {
    const problems = problemsOf(() =>
      resolve(
        [
          plugin('Bad_Id'),
          plugin('p', { version: 'one', permissions: [{ id: 'other.x.read', description: '' }] }),
        ],
        { Bad_Id: {}, p: {} },
      ),
    );
    const messages = problems.map((p) => p.message).join('\n');
    expect(messages).toContain('id "Bad_Id"');
    expect(messages).toContain('version "one"');
    expect(messages).toContain('permission "other.x.read" must start with "p."');
  });
});
