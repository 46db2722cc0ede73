/**
 * CSV as RFC 4180 writes it: fields separated by commas, records by CRLF, a field with a comma, quote, CR
 * or LF in double quotes with its quotes doubled. With a UTF-8 byte-order mark first, so Excel opens the
 * Chinese text as UTF-8. A field that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a
 * spreadsheet never runs it as a formula (OWASP "CSV injection"). Small enough not to need a library.
 */
export type CsvField = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvField): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV text of a header row and records (BOM first, CRLF after every record). */
export function toCsv(header: readonly string[], records: readonly (readonly CsvField[])[]): string {
  return `\uFEFF${[header, ...records].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Offers the CSV as a download named `name` (text/csv; charset=utf-8). */
export function downloadCsv(name: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
