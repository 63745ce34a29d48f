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

/**
 * The headers a middleware sets when they are the same for every request (helmet with a fixed policy), worked
 * out once and then set from a list: helmet's chain of a dozen middlewares cost 4 % of a job page's CPU (issue 21).
 * A middleware that reads the request, ends the response or calls `next` with an error cannot be frozen: that throws.
 */
export function frozenHeaders(middleware: RequestHandler): RequestHandler {
  const headers: [string, string | number | readonly string[]][] = [];
  let passed = false;
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers.push([name, value]);
      return res;
    },
    removeHeader: () => {},
    getHeader: () => undefined,
  };
  const req = new Proxy({}, { get: (_t, key) => { throw new Error(`frozenHeaders: the middleware read req.${String(key)}`); } });
  middleware(req as never, res as never, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
    passed = true;
  });
  if (!passed) throw new Error('frozenHeaders: the middleware did not call next at once');
  return (_req, response, next) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}
