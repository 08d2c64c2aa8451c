/** Pure RFID domain: EPC Tag Data Standard coding and fixed-reader read processing. No I/O. */
export * from './partition-tables.js';
export * from './epc.js';
export * from './reads.js';
