import { EntitySchema } from '@mikro-orm/core';

/**
 * ORM mappings of the core tables, so plugins can reference core rows from their own entities
 * (`ref: () => CoreItem`). The tables are created by the core's SQL migrations; a contract test
 * checks that these mappings and the migrations agree.
 */
export interface CoreCategory {
  id: string;
  parent?: CoreCategory | null;
  name: string;
  attributeSchema?: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}
export const CoreCategorySchema = new EntitySchema<CoreCategory>({
  name: 'CoreCategory',
  tableName: 'core_category',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    parent: { kind: 'm:1', entity: 'CoreCategory', nullable: true, fieldName: 'parent_id' },
    name: { type: 'text' },
    attributeSchema: { type: 'json', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
    updatedAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
  },
});

export interface CoreItem {
  id: string;
  name: string;
  description?: string | null;
  category?: CoreCategory | null;
  unitOfMeasure: string;
  kind: string;
  trackingMode: 'none' | 'lot' | 'serial';
  attributes: Record<string, unknown>;
  archived: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
export const CoreItemSchema = new EntitySchema<CoreItem>({
  name: 'CoreItem',
  tableName: 'core_item',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    name: { type: 'text' },
    description: { type: 'text', nullable: true },
    category: { kind: 'm:1', entity: 'CoreCategory', nullable: true, fieldName: 'category_id' },
    unitOfMeasure: { type: 'text', default: 'ea' },
    kind: { type: 'text', default: 'stock' },
    trackingMode: { type: 'text', default: 'none' },
    attributes: { type: 'json', defaultRaw: `'{}'` },
    archived: { type: 'boolean', default: false },
    version: { type: 'integer', default: 1 },
    createdAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
    updatedAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
  },
});

export interface CoreLocation {
  id: string;
  parent?: CoreLocation | null;
  name: string;
  code?: string | null;
  type: string;
  address?: string | null;
  latitude?: string | null;
  longitude?: string | null;
  archived: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
export const CoreLocationSchema = new EntitySchema<CoreLocation>({
  name: 'CoreLocation',
  tableName: 'core_location',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    parent: { kind: 'm:1', entity: 'CoreLocation', nullable: true, fieldName: 'parent_id' },
    name: { type: 'text' },
    code: { type: 'text', nullable: true },
    type: { type: 'text' },
    address: { type: 'text', nullable: true },
    latitude: { type: 'decimal', precision: 9, scale: 6, nullable: true },
    longitude: { type: 'decimal', precision: 9, scale: 6, nullable: true },
    archived: { type: 'boolean', default: false },
    version: { type: 'integer', default: 1 },
    createdAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
    updatedAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
  },
});

export interface CoreIdentifier {
  id: string;
  type: string;
  value: string;
  targetType: string;
  targetId: string;
  createdAt: Date;
}
export const CoreIdentifierSchema = new EntitySchema<CoreIdentifier>({
  name: 'CoreIdentifier',
  tableName: 'core_identifier',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    type: { type: 'text' },
    value: { type: 'text' },
    targetType: { type: 'text' },
    targetId: { type: 'uuid' },
    createdAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
  },
});

export interface CoreUser {
  id: string;
  email: string;
  name: string;
  active: boolean;
  createdAt: Date;
  lastLoginAt?: Date | null;
}
export const CoreUserSchema = new EntitySchema<CoreUser>({
  name: 'CoreUser',
  tableName: 'core_user',
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    email: { type: 'text' },
    name: { type: 'text' },
    active: { type: 'boolean', default: true },
    createdAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
    lastLoginAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

export const coreEntities = [CoreCategorySchema, CoreItemSchema, CoreLocationSchema, CoreIdentifierSchema, CoreUserSchema];
