import type { InjectOptions } from 'fastify';
import type { TestPlatform } from '@quartermaster/testing';

/**
 * Bad-input cases of one area of the maintenance API. `bad-input.test.ts` boots one platform
 * (with inventory enabled), runs every area's `setup`, then sends each case and checks: the answer
 * is `status` problem+json of `type` (for `validation`, exactly `fields` named), and nothing was
 * written (no row in any maintenance_/fixed_assets_/inventory_ table changed, no audit record, no
 * outbox event). A mounted route without a case fails the suite.
 */
export interface BadInputCase<F> {
  name: string;
  req: (f: F) => InjectOptions;
  status: number;
  type: string;
  /** For `validation` problems: exactly these fields are named (order and repeats ignored). */
  fields?: string[];
}

export interface BadInputArea<F> {
  area: string;
  /** Create what the cases refer to (assets, plans, work orders…), through the API. */
  setup(t: TestPlatform): Promise<F>;
  cases: BadInputCase<F>[];
}

export const defineBadInput = <F>(a: BadInputArea<F>) => a;
