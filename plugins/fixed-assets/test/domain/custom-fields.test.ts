import { describe, expect, it } from 'vitest';
import { checkFieldDefinitions, isIsoDate, mergeDefinitions, validateCustomFields, type CustomFieldDefinition } from '../../src/domain/custom-fields.js';

const vehicle: CustomFieldDefinition[] = [
  { key: 'plate', label: 'Licence plate', type: 'text', required: true, maxLength: 10 },
  { key: 'seats', label: 'Seats', type: 'integer', min: 1, max: 9 },
  { key: 'payloadKg', label: 'Payload (kg)', type: 'number', min: 0 },
  { key: 'inspectionDue', label: 'Next inspection', type: 'date' },
  { key: 'towbar', label: 'Tow bar', type: 'boolean' },
  { key: 'fuel', label: 'Fuel', type: 'select', options: ['diesel', 'petrol', 'electric'] },
];

describe('custom fields', () => {
  it('accepts values that fit, and empty optional ones', () => {
    expect(validateCustomFields({ plate: 'VZ-318-K', seats: 3, payloadKg: 1180.5, inspectionDue: '2026-03-31', towbar: true, fuel: 'diesel' }, vehicle)).toEqual([]);
    expect(validateCustomFields({ plate: 'VZ-318-K', seats: null, fuel: '' }, vehicle)).toEqual([]);
  });

  it('names every field that does not fit', () => {
    const errors = validateCustomFields({ seats: 2.5, payloadKg: -1, inspectionDue: '2026-02-30', towbar: 'yes', fuel: 'lpg', colour: 'white' }, vehicle);
    expect(errors).toEqual([
      { field: 'customFields.colour', message: 'is not a field of this category' },
      { field: 'customFields.plate', message: 'is required' },
      { field: 'customFields.seats', message: 'must be a whole number' },
      { field: 'customFields.payloadKg', message: 'must be at least 0' },
      { field: 'customFields.inspectionDue', message: 'must be a date (YYYY-MM-DD)' },
      { field: 'customFields.towbar', message: 'must be true or false' },
      { field: 'customFields.fuel', message: 'must be one of: diesel, petrol, electric' },
    ]);
    expect(validateCustomFields({ plate: 'TOO-LONG-PLATE' }, vehicle)).toEqual([{ field: 'customFields.plate', message: 'must be at most 10 characters' }]);
    expect(validateCustomFields({ seats: '3', plate: 'X' }, vehicle)).toEqual([{ field: 'customFields.seats', message: 'must be a number' }]);
    expect(validateCustomFields({ anything: 1 }, [])).toEqual([{ field: 'customFields.anything', message: 'this category has no custom fields' }]);
  });

  it('checks definitions: unique keys, options only and always for selects, sensible bounds', () => {
    expect(checkFieldDefinitions(vehicle)).toEqual([]);
    expect(
      checkFieldDefinitions([
        { key: 'Plate', label: 'Plate', type: 'text' },
        { key: 'seats', label: ' ', type: 'integer', min: 9, max: 1 },
        { key: 'seats', label: 'Seats again', type: 'integer' },
        { key: 'fuel', label: 'Fuel', type: 'select' },
        { key: 'colour', label: 'Colour', type: 'text', options: ['red'], min: 1, maxLength: 5 },
        { key: 'size', label: 'Size', type: 'select', options: ['S', 'S'] },
        { key: 'note', label: 'Note', type: 'boolean', maxLength: 5 },
      ]),
    ).toEqual([
      { field: 'fields.0.key', message: 'must start with a lower-case letter and contain only letters, digits and "_"' },
      { field: 'fields.1.label', message: 'must not be blank' },
      { field: 'fields.1.max', message: 'must not be below min' },
      { field: 'fields.2.key', message: '"seats" is defined twice' },
      { field: 'fields.3.options', message: 'a select field needs its options' },
      { field: 'fields.4.options', message: 'only select fields have options' },
      { field: 'fields.4.min', message: 'only number and integer fields have bounds' },
      { field: 'fields.5.options', message: 'lists a value twice' },
      { field: 'fields.6.maxLength', message: 'only text fields have a maximum length' },
    ]);
  });

  it('inherits definitions down the category tree, the nearer category winning', () => {
    const equipment: CustomFieldDefinition[] = [{ key: 'owner', label: 'Owner', type: 'text' }, { key: 'seats', label: 'Seats', type: 'integer' }];
    const merged = mergeDefinitions([equipment, vehicle]);
    expect(merged.map((d) => d.key)).toEqual(['owner', 'seats', 'plate', 'payloadKg', 'inspectionDue', 'towbar', 'fuel']);
    expect(merged.find((d) => d.key === 'seats')).toMatchObject({ min: 1, max: 9 });
  });

  it('knows real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-2-9')).toBe(false);
  });
});
