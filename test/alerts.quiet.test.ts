// Job alerts' quiet hours (issue 20): 22:00–07:00 Beijing by default, set by ALERT_QUIET_HOURS ("off" on test sites).
import { parseConfig } from '../src/config';
import { isQuietHour, nextSendableTime, setQuietHours } from '../src/features/alerts/alerts.matching';

afterEach(() => setQuietHours({ from: 22, until: 7 }));

test('ALERT_QUIET_HOURS: 22-7 by default, other hours or off; anything else is a configuration error', () => {
  expect(parseConfig({ NODE_ENV: 'test' }).alertQuietHours).toEqual({ from: 22, until: 7 });
  expect(parseConfig({ NODE_ENV: 'test', ALERT_QUIET_HOURS: '23-6' }).alertQuietHours).toEqual({ from: 23, until: 6 });
  expect(parseConfig({ NODE_ENV: 'test', ALERT_QUIET_HOURS: 'off' }).alertQuietHours).toBeNull();
  for (const bad of ['22', '24-7', '7-7', 'night', '22-7-1']) expect(() => parseConfig({ NODE_ENV: 'test', ALERT_QUIET_HOURS: bad })).toThrow(/ALERT_QUIET_HOURS/);
});

test('a match in the quiet hours is due at their end, Beijing time; off sends at once', () => {
  const at2300 = new Date('2026-12-02T15:00:00Z');
  const at0300 = new Date('2026-12-02T19:00:00Z');
  const at1000 = new Date('2026-12-02T02:00:00Z');
  expect(nextSendableTime(at2300).toISOString()).toBe('2026-12-02T23:00:00.000Z'); // 07:00 on the 3rd
  expect(nextSendableTime(at0300).toISOString()).toBe('2026-12-02T23:00:00.000Z');
  expect(nextSendableTime(at1000)).toBe(at1000);
  setQuietHours({ from: 1, until: 6 });
  expect(isQuietHour(at2300)).toBe(false);
  expect(nextSendableTime(at0300).toISOString()).toBe('2026-12-02T22:00:00.000Z'); // 06:00 on the 3rd
  setQuietHours(null);
  expect(isQuietHour(at0300)).toBe(false);
  expect(nextSendableTime(at0300)).toBe(at0300);
});
