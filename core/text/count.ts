// Counts as people read them in messages: `12,345`. The same text as `toLocaleString('en-US')` for an
// integer, without ICU: a server's first toLocaleString loads the locale data, 20-25 ms of the first
// diagnostic that names a token count.

/** An integer with its thousands grouped by commas (`-1,234,567`); other numbers as en-US prints them. */
export function groupedCount(value: number): string {
  if (!Number.isSafeInteger(value)) return value.toLocaleString('en-US');
  const digits = String(Math.abs(value));
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let at = grouped.length; at < digits.length; at += 3) grouped += `,${digits.slice(at, at + 3)}`;
  return value < 0 ? `-${grouped}` : grouped;
}
