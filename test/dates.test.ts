// China time by the fixed UTC+8 offset (issue 21: no Intl formatToParts per date) gives what Intl's
// Asia/Shanghai gives, for every instant this site shows (2000 onwards: no daylight saving since 1991).
import fc from 'fast-check';
import { chinaClock, chinaDate } from '../src/domain/dates';
import { format } from '../src/web/format';

const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function intlClock(at: Date) {
  const parts = Object.fromEntries(intl.formatToParts(at).map((p) => [p.type, p.value]));
  return { y: parts.year, m: parts.month, d: parts.day, h: parts.hour, min: parts.minute };
}

describe('China time by the fixed offset', () => {
  it('matches Intl Asia/Shanghai for any instant from 2000 to 2099', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31, 23, 59, 59) }), (ms) => {
        const at = new Date(ms);
        expect(chinaClock(at)).toEqual(intlClock(at));
        expect(chinaDate(at)).toBe(`${intlClock(at).y}-${intlClock(at).m}-${intlClock(at).d}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('turns the date at 16:00 UTC, China midnight', () => {
    expect(chinaDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(chinaDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(format.dateTime(new Date('2026-02-28T16:05:00Z'))).toBe('2026-03-01 00:05');
    expect(format.dateCn('2024-02-29')).toBe('2024年02月29日');
    expect(format.dateIso('not a date')).toBe('');
  });
});
