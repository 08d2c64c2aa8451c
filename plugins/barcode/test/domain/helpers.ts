import { expect } from 'vitest';
import { Gs1Error, type Gs1ErrorCode } from '../../src/domain/index.js';

/** Runs `fn`, expects a Gs1Error with `code` (and the given ai / position / message), returns it. */
export function expectGs1Error(
  fn: () => unknown,
  code: Gs1ErrorCode,
  expected: { ai?: string; position?: number; message?: RegExp } = {},
): Gs1Error {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a Gs1Error to be thrown').toBeInstanceOf(Gs1Error);
  const error = caught as Gs1Error;
  expect(error.code, error.message).toBe(code);
  if (expected.ai !== undefined) expect(error.ai).toBe(expected.ai);
  if (expected.position !== undefined) expect(error.position).toBe(expected.position);
  if (expected.message) expect(error.message).toMatch(expected.message);
  return error;
}

/** FNC1 as transmitted (ASCII 29). */
export const GS = '\u001d';
