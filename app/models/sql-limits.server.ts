/**
 * The libsql driver adapter refuses statements with more than 999 bound
 * parameters, so IN lists and multi-row statements are cut to size.
 */
export const MAX_IN_LIST = 500;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
