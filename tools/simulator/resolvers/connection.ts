// Relay connections as Shopify serves them: keyset pagination over a sort key
// with the id as tie-breaker, opaque cursors, pageInfo in both directions.
import type { NumericId } from "../state";
import { ShopifyError } from "./common";

const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface ConnectionKeys<T> {
  id(item: T): NumericId;
  /** The sort key's value; omit to sort by id alone. */
  sortValue?(item: T): string | number;
}

interface Position {
  id: NumericId;
  value: string | number;
}

// Shopify's cursors are base64 JSON of the last row's id and sort value.
const encodeCursor = (position: Position) => Buffer.from(JSON.stringify({ last_id: position.id, last_value: position.value })).toString("base64");

function decodeCursor(cursor: string): Position {
  try {
    const { last_id, last_value } = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown; last_value?: unknown };
    if (typeof last_id === "string" && /^\d+$/.test(last_id) && (typeof last_value === "string" || typeof last_value === "number")) return { id: last_id, value: last_value };
  } catch {
    // reported below
  }
  throw new ShopifyError(`Invalid cursor: ${cursor}`);
}

function comparePositions(a: Position, b: Position): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  const [x, y] = [BigInt(a.id), BigInt(b.id)];
  return x === y ? 0 : x < y ? -1 : 1;
}

// A bulk query pages through everything itself: its connections take no first
// or last. Execution is synchronous, so a flag set around it cannot leak.
let unbounded = false;

export function unboundedConnections<T>(run: () => T): T {
  unbounded = true;
  try {
    return run();
  } finally {
    unbounded = false;
  }
}

export function connection<T>(items: Iterable<T>, args: ConnectionArgs, keys: ConnectionKeys<T>, toNode: (item: T) => object) {
  const { first, last } = unbounded && args.first == null && args.last == null ? { first: Number.MAX_SAFE_INTEGER, last: null } : args;
  if (first == null && last == null) throw new ShopifyError("you must provide one of first or last");
  for (const [name, size] of [["first", first], ["last", last]] as const) {
    if (size != null && (size < 0 || (size > MAX_PAGE_SIZE && !unbounded))) throw new ShopifyError(`${name} must be between 0 and ${MAX_PAGE_SIZE}`);
  }

  const direction = args.reverse ? -1 : 1;
  const positionOf = (item: T): Position => ({ id: keys.id(item), value: keys.sortValue?.(item) ?? 0 });
  const order = (a: Position, b: Position) => direction * comparePositions(a, b);
  const ordered = [...items].map((item) => ({ item, position: positionOf(item) })).sort((a, b) => order(a.position, b.position));

  // Keyset: a cursor still works when the row it names has since changed or gone.
  const after = args.after ? decodeCursor(args.after) : null;
  const before = args.before ? decodeCursor(args.before) : null;
  const start = after ? indexWhere(ordered, (row) => order(row.position, after) > 0) : 0;
  const end = before ? indexWhere(ordered, (row) => order(row.position, before) >= 0) : ordered.length;
  const window = ordered.slice(start, Math.max(start, end));
  const page = first != null ? window.slice(0, first) : window.slice(Math.max(0, window.length - last!));
  const pageStart = first != null ? start : start + window.length - page.length;

  const edges = page.map((row) => ({ cursor: encodeCursor(row.position), node: toNode(row.item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasPreviousPage: pageStart > 0,
      hasNextPage: pageStart + page.length < ordered.length,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function indexWhere<T>(rows: T[], predicate: (row: T) => boolean): number {
  const index = rows.findIndex(predicate);
  return index === -1 ? rows.length : index;
}
