// Owns writing .xlsx files: a generic rows → one-sheet workbook, streamed (exceljs' streaming writer), so an
// export of any length holds one batch of rows in memory, not the file. Used by the applicant export; meant for
// every other export (leads) too. Library: exceljs 4 (MIT, Node ≥ 8, pure JavaScript).
import type { Writable } from 'node:stream';
import type * as ExcelJSModule from 'exceljs';

/** Loaded at the first export, not at start: exceljs was half of the app's module loading (issue 21). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = () => require('exceljs') as typeof ExcelJSModule;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type XlsxCell = string | number | Date | null | undefined;

export type XlsxColumn<R> = {
  header: string;
  /** Width in characters (a Chinese character counts about 2). */
  width?: number;
  /** `date` (2024-05-01) and `datetime` (2024-05-01 09:30) are real Excel dates, shown in China time. */
  type?: 'text' | 'number' | 'date' | 'datetime';
  value: (row: R) => XlsxCell;
};

const FORMATS = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm' } as const;
const CHINA_OFFSET_MS = 8 * 3600_000;

/**
 * Excel dates carry no time zone: a cell shows its UTC fields. Shifting by +8 hours makes it show the China
 * wall-clock time the site shows (China has no daylight saving time).
 */
export function chinaWallClock(d: Date): Date {
  return new Date(d.getTime() + CHINA_OFFSET_MS);
}

/**
 * Writes `rows` to `out` as a workbook with one sheet: a bold header row (frozen), then one row per item.
 * `rows` is read one item at a time (give an async generator that reads the database in batches). Resolves with
 * the number of data rows once the file is complete; `out` is ended by the writer. `beforeEnd` (the export's
 * log) runs once every row is written and before the file's end is sent: whoever holds the whole file finds it
 * done, and if it fails the file is never complete.
 */
export async function writeXlsx<R>(
  out: Writable,
  sheetName: string,
  columns: XlsxColumn<R>[],
  rows: AsyncIterable<R> | Iterable<R>,
  beforeEnd?: (count: number) => Promise<unknown>,
): Promise<number> {
  const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({
    key: String(i),
    width: c.width ?? 14,
    style: c.type === 'date' || c.type === 'datetime' ? { numFmt: FORMATS[c.type] } : {},
  }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  let count = 0;
  for await (const row of rows) {
    sheet.addRow(columns.map((c) => cellOf(c, row))).commit();
    count += 1;
  }
  await beforeEnd?.(count);
  sheet.commit();
  await workbook.commit();
  return count;
}

function cellOf<R>(column: XlsxColumn<R>, row: R): XlsxCell {
  const v = column.value(row);
  if (v === null || v === undefined) return null;
  // A string is stored as text, never as a formula: "=HYPERLINK(...)" typed by a user stays text in Excel.
  return v instanceof Date ? chinaWallClock(v) : v;
}
