/**
 * Timestamps as the Wait state takes them.
 */

/**
 * Parses a timestamp as AWS's Wait state requires: the RFC 3339 profile of ISO 8601 with an uppercase
 * `T` and `Z` or a numeric offset, e.g. `2016-12-05T21:29:29Z` or `2016-12-05T21:29:29.123+08:00`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html). Epoch ms, or undefined when
 * the string is not such a timestamp or names no real date/time (month 13, hour 25, 30 February).
 */
export function parseRfc3339(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const offset = m[8]!;
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59))
    return undefined;
  const ms = Date.parse(
    `${m.slice(1, 4).join('-')}T${m.slice(4, 7).join(':')}${(m[7] ?? '').slice(0, 4)}${offset}`,
  );
  return Number.isNaN(ms) ? undefined : ms;
}
