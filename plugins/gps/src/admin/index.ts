/**
 * The GPS plugin's console (section "GPS"): the live map of every tracker, a tracker's track
 * played back with its trips and geofence events (and its link to a fixed asset), the geofence
 * editor on the map, the geofence events list, and an NMEA sentence checker. Every page is its
 * own lazy chunk (Leaflet loads only with the pages that draw a map); pages are shown only with
 * their permission (the server still checks every call).
 */
import { defineAdminPlugin } from '@quartermaster/sdk/admin';
import { P, PLUGIN_ID } from './constants';

const SECTION = 'GPS';

export default defineAdminPlugin({
  id: PLUGIN_ID,
  routes: [
    { path: '/map', name: 'map', title: 'Live map', component: () => import('./pages/MapPage.vue'), permission: P.read },
    { path: '/trackers/:deviceId', name: 'tracker', title: 'Tracker', component: () => import('./pages/TrackerPage.vue'), permission: P.read },
    { path: '/geofences', name: 'geofences', title: 'Geofences', component: () => import('./pages/GeofencesPage.vue'), permission: P.read },
    { path: '/events', name: 'events', title: 'Geofence events', component: () => import('./pages/EventsPage.vue'), permission: P.read },
    { path: '/nmea', name: 'nmea', title: 'NMEA sentence check', component: () => import('./pages/NmeaPage.vue'), permission: P.read },
  ],
  nav: [
    { label: 'Live map', to: 'map', section: SECTION, permission: P.read, order: 1 },
    { label: 'Geofences', to: 'geofences', section: SECTION, permission: P.read, order: 10 },
    { label: 'Geofence events', to: 'events', section: SECTION, permission: P.read, order: 20 },
    { label: 'NMEA check', to: 'nmea', section: SECTION, permission: P.read, order: 30 },
  ],
});
