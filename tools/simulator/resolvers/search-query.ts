// The part of Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax)
// the simulator understands: `field:value` terms joined by spaces or AND, with
// the comparators <, <=, >, >= and quoted values. Anything else fails loudly, so
// a test never passes on a filter that was silently ignored.
import { NotImplemented } from "./common";

export type Comparator = ":" | "<" | "<=" | ">" | ">=";

export interface SearchTerm {
  field: string;
  comparator: Comparator;
  value: string;
}

export function parseSearchQuery(query: string | null | undefined): SearchTerm[] {
  // Tokens are runs of non-space characters, where a quoted part may hold spaces.
  const tokens = (query ?? "").match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  const terms: SearchTerm[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i];
    if (token === "AND") continue;
    if (token === "OR" || token === "NOT" || /^[-(]/.test(token)) throw new NotImplemented(`the search syntax "${token}" (in "${query}")`);
    // Shopify accepts a space after the colon: `updated_at: >=2024-01-01`.
    if (token.endsWith(":") && i + 1 < tokens.length) token += tokens[++i];
    const match = /^(\w+):(<=|>=|<|>)?(.*)$/s.exec(token);
    if (!match) throw new NotImplemented(`free-text search ("${token}" in "${query}")`);
    terms.push({ field: match[1], comparator: (match[2] ?? ":") as Comparator, value: match[3].replace(/^(["'])(.*)\1$/s, "$2") });
  }
  return terms;
}

export function compareWith(comparator: Comparator, difference: number): boolean {
  switch (comparator) {
    case ":":
      return difference === 0;
    case "<":
      return difference < 0;
    case "<=":
      return difference <= 0;
    case ">":
      return difference > 0;
    case ">=":
      return difference >= 0;
  }
}

/**
 * A time term against a timestamp. A date alone stands for its whole (UTC) day,
 * as Shopify documents for `updated_at:2024-01-01`; `now` is the simulated clock.
 */
export function matchesTime(term: SearchTerm, timestamp: string, now: number): boolean {
  const at = Date.parse(timestamp);
  const wholeDay = /^\d{4}-\d{2}-\d{2}$/.test(term.value);
  const from = term.value === "now" ? now : Date.parse(wholeDay ? `${term.value}T00:00:00Z` : term.value);
  if (Number.isNaN(from)) throw new NotImplemented(`the search time value "${term.value}"`);
  const to = wholeDay ? from + 86_400_000 : from;
  if (term.comparator === ":") return wholeDay ? at >= from && at < to : at === from;
  // Against a whole day, "after" means after its end and "before" before its start.
  return compareWith(term.comparator, at < from ? -1 : at >= to && at !== from ? 1 : 0);
}
