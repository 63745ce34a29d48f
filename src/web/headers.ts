// Owns the Permissions-Policy header: the browser features this site never uses are switched off for it and
// for anything it embeds, so an injected script or a hostile frame cannot ask for them in the site's name.
import type { RequestHandler } from 'express';

/** No page here uses these. Geolocation included: districts are chosen from a list, never from the device. */
const DISABLED_FEATURES = [
  'accelerometer',
  'autoplay',
  'bluetooth',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'serial',
  'usb',
  'xr-spatial-tracking',
  'browsing-topics',
];

const POLICY = DISABLED_FEATURES.map((feature) => `${feature}=()`).join(', ');

export const permissionsPolicy: RequestHandler = (_req, res, next) => {
  res.setHeader('Permissions-Policy', POLICY);
  next();
};
