/**
 * A read-only view of the core's catalogue (items, categories, locations) for plugins that must
 * classify what they are told about — an ERP connector mapping accounts by category and site —
 * without reading the core's tables or importing another plugin.
 */
import type { Transaction } from './plugin.js';
import { createServiceRef } from './extension-points.js';

export interface CatalogueItem {
  id: string;
  name: string;
  /** The item's first SKU identifier, if it has one. */
  sku: string | null;
  categoryId: string | null;
}

export interface CatalogueLocation {
  id: string;
  name: string;
  type: string;
  /** The top-most location of type `site` at or above this one; null when there is none. */
  siteId: string | null;
}

export interface CatalogueService {
  /** Items by id (unknown ids are left out). Pass `tx` to read inside a transaction. */
  items(ids: readonly string[], tx?: Pick<Transaction, 'execute'>): Promise<CatalogueItem[]>;
  /** Locations by id with their site (unknown ids are left out). */
  locations(ids: readonly string[], tx?: Pick<Transaction, 'execute'>): Promise<CatalogueLocation[]>;
}

export const coreCatalogue = createServiceRef<CatalogueService>('core.catalogue');
