/**
 * The one CSV writer (issue 18): RFC 4180 quoting and the formula guard OWASP
 * recommends against CSV injection (https://owasp.org/www-community/attacks/CSV_Injection).
 * A spreadsheet treats a cell that starts with `=`, `+`, `-`, `@`, a tab
 * (0x09) or a carriage return (0x0D) as a formula (`-2+3+cmd|' /C calc'!A0`
 * runs a command in some), so such a cell is prefixed with a single quote,
 * which makes it text, and quoted, with its double quotes doubled.
 *
 * A merchant-named text cell is always guarded, even when it looks like a
 * number (a campaign named "-12.50" stays the text they typed). A cell of a
 * column the writer declares numeric is written as is when it is a plain
 * decimal number (-12.50 is an amount, and must stay a number for sums); any
 * other value there is guarded like text, so a declaration cannot open a hole.
 */
export type CsvColumnType = "text" | "number";

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

function quote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

export function csvCell(value: string, type: CsvColumnType = "text"): string {
  if (type === "number" && PLAIN_NUMBER.test(value)) return value;
  if (FORMULA_START.test(value)) return quote(`'${value}`);
  return /[",\r\n]/.test(value) ? quote(value) : value;
}

type CsvColumns = ReadonlyArray<{ name: string; type: CsvColumnType }>;

/** One line of a document (no line end): the header when `row` is omitted, else the row's cells typed by their column. */
export function csvLine(columns: CsvColumns, row?: readonly string[]): string {
  return row ? row.map((value, i) => csvCell(value, columns[i]?.type ?? "text")).join(",") : columns.map((column) => csvCell(column.name)).join(",");
}

/** A whole document: a header row, then each row's cells typed by its column; CRLF line ends (RFC 4180). */
export function csvDocument(columns: CsvColumns, rows: ReadonlyArray<readonly string[]>): string {
  const lines = [csvLine(columns), ...rows.map((row) => csvLine(columns, row))];
  return lines.join("\r\n") + "\r\n";
}
