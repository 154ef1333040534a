/**
 * Shopify ids exceed 2^53 (e.g. order 820982911946154508), and a plain
 * JSON.parse rounds them. This parser keeps every integer that does not fit a
 * double exactly as its source text, so ids survive intact. It relies on the
 * reviver's `context.source` (JSON.parse source text access, Node 22+).
 *
 * The reviver is only run on a body that needs it: it costs about seven times
 * a plain parse (every value's source text is handed to it), and it was a
 * tenth of the inbox drain's time (issue 19). A plain parse is looked over for
 * an integer that is not safe, exactly the values the reviver would replace;
 * only a body holding one is parsed again with it. Real stores' ids (13–14
 * digits) fit, so nearly every webhook takes the plain parse.
 */
export function parseShopifyJson(text: string): unknown {
  const plain: unknown = JSON.parse(text);
  return holdsUnsafeInteger(plain) ? JSON.parse(text, keepUnsafeIntegers as (this: unknown, key: string, value: unknown) => unknown) : plain;
}

const isUnsafeInteger = (value: number) => Number.isInteger(value) && !Number.isSafeInteger(value);

function keepUnsafeIntegers(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  return typeof value === "number" && isUnsafeInteger(value) && context?.source ? context.source : value;
}

function holdsUnsafeInteger(value: unknown): boolean {
  if (typeof value === "number") return isUnsafeInteger(value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsUnsafeInteger);
  for (const key in value) if (holdsUnsafeInteger((value as Record<string, unknown>)[key])) return true;
  return false;
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
