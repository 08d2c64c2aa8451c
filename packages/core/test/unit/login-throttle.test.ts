import { expect, test } from 'vitest';
import { LoginThrottle } from '../../src/modules/access/login-throttle.js';

test('an account is locked after the limit of failures in the window, and unlocks as they age out', () => {
  let now = 1_000_000;
  const t = new LoginThrottle({ windowMs: 60_000, perAccount: 3, perAddress: 100 }, () => now);
  for (let i = 0; i < 3; i++) {
    expect(t.retryAfter('Ann@Example.test', '10.0.0.1')).toBe(0);
    t.fail('ann@example.test', '10.0.0.1');
    now += 1_000;
  }
  // Third failure was at 1_002_000; the first at 1_000_000 leaves the window at 1_060_000.
  expect(t.retryAfter('ANN@example.test', '10.0.0.9')).toBe(57);
  now = 1_060_001;
  expect(t.retryAfter('ann@example.test', '10.0.0.1')).toBe(0);
});

test('one address guessing many accounts is slowed down too', () => {
  let now = 0;
  const t = new LoginThrottle({ windowMs: 60_000, perAccount: 100, perAddress: 5 }, () => now);
  for (let i = 0; i < 5; i++) t.fail(`user${i}@example.test`, '192.0.2.7');
  expect(t.retryAfter('someone-else@example.test', '192.0.2.7')).toBe(60);
  expect(t.retryAfter('someone-else@example.test', '192.0.2.8')).toBe(0);
  now = 30_000;
  expect(t.retryAfter('x@example.test', '192.0.2.7')).toBe(30);
});

test('a successful sign-in clears the account count', () => {
  const t = new LoginThrottle({ windowMs: 60_000, perAccount: 2, perAddress: 100 }, () => 0);
  t.fail('bob@example.test', 'a');
  t.succeed('BOB@example.test');
  t.fail('bob@example.test', 'a');
  expect(t.retryAfter('bob@example.test', 'a')).toBe(0);
});
