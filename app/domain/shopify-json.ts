/**
 * Shopify ids exceed 2^53 (e.g. order 820982911946154508), and a plain
 * JSON.parse rounds them. This parser keeps every integer that does not fit a
 * double exactly as its source text, so ids survive intact. It relies on the
 * reviver's `context.source` (JSON.parse source text access, Node 22+).
 */
export function parseShopifyJson(text: string): unknown {
  return JSON.parse(text, function revive(this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source) {
      return context.source;
    }
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;

/** The numeric id of a Shopify record, as a string, from a gid or a REST id. */
export function shopifyId(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  }
  if (typeof value === "string") {
    const gid = GID.exec(value);
    if (gid) return gid[2];
    return /^\d+$/.test(value) ? value : null;
  }
  return null;
}

export function toGid(resource: string, id: string): string {
  return `gid://shopify/${resource}/${id}`;
}
