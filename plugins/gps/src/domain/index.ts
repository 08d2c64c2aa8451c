/**
 * The GPS domain: NMEA 0183 and OsmAnd/Traccar parsing, spherical geometry, geofences with an
 * index and a per-tracker state machine, trip segmentation and working hours. Pure: no I/O, no
 * clock (callers pass times in).
 */
export * from './nmea.js';
export * from './position.js';
export * from './osmand.js';
export * from './geo.js';
export * from './geofence.js';
export * from './trips.js';
export * from './working-hours.js';
