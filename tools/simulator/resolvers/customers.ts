// Customers: `customer(id)`, `customers(query, sortKey, ...)` and the Customer
// object with the fields the simulator keeps.
import type { SimCustomer } from "../state";
import { connection, type ConnectionArgs } from "./connection";
import { gid, moneyV2, NotImplemented, parseGid, type FieldResolver, type ResolverContext } from "./common";
import { metafieldFields } from "./metafields";
import { compareWith, matchesTime, parseSearchQuery, type SearchTerm } from "./search-query";

export function customerObject(customer: SimCustomer, context: ResolverContext) {
  const id = gid("Customer", customer.id);
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return {
    __typename: "Customer",
    id,
    legacyResourceId: customer.id,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: name || customer.email || customer.phone || "",
    email: customer.email,
    defaultEmailAddress: customer.email ? { emailAddress: customer.email, marketingState: customer.emailMarketingState, marketingUpdatedAt: null } : null,
    phone: customer.phone,
    defaultPhoneNumber: customer.phone ? { phoneNumber: customer.phone, marketingState: customer.smsMarketingState, marketingUpdatedAt: null } : null,
    defaultAddress: customer.defaultAddress ? { city: customer.defaultAddress.city, provinceCode: customer.defaultAddress.provinceCode, province: customer.defaultAddress.province ?? null, countryCodeV2: customer.defaultAddress.countryCode } : null,
    locale: customer.locale,
    note: customer.note,
    state: customer.state,
    tags: customer.tags,
    numberOfOrders: String(customer.numberOfOrders),
    amountSpent: moneyV2(customer.amountSpentMinor, context.shop.currencyCode),
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    ...metafieldFields(id, context),
  };
}

export function findCustomer(customerId: string, context: ResolverContext) {
  const customer = context.shop.customers.get(customerId);
  return customer ? customerObject(customer, context) : null;
}

/** The customer search fields the simulator understands (see search-query.ts). */
function matches(customer: SimCustomer, term: SearchTerm, now: number): boolean {
  switch (term.field) {
    case "id": {
      const [a, b] = [BigInt(customer.id), BigInt(term.value)];
      return compareWith(term.comparator, a === b ? 0 : a < b ? -1 : 1);
    }
    case "email":
      // Shopify tokenizes email; an exact, case-insensitive match (or `email:*`) is what the app relies on.
      if (term.comparator !== ":") break;
      return term.value === "*" ? customer.email !== null : customer.email?.toLowerCase() === term.value.toLowerCase();
    case "updated_at":
      return matchesTime(term, customer.updatedAt, now);
    case "customer_date":
      return matchesTime(term, customer.createdAt, now);
  }
  throw new NotImplemented(`the customer search term ${term.field}${term.comparator === ":" ? ":" : `:${term.comparator}`}`);
}

const SORT_VALUES: Record<string, ((customer: SimCustomer) => string | number) | undefined> = {
  ID: undefined,
  CREATED_AT: (customer) => Date.parse(customer.createdAt),
  UPDATED_AT: (customer) => Date.parse(customer.updatedAt),
};

interface CustomersArgs extends ConnectionArgs {
  query?: string | null;
  sortKey: string;
}

export const customerQueries: Record<string, FieldResolver> = {
  customer: ({ id }: { id: string }, context) => {
    const { type, id: customerId } = parseGid(id);
    return type === "Customer" ? findCustomer(customerId, context) : null;
  },
  customers: (args: CustomersArgs, context) => {
    if (!(args.sortKey in SORT_VALUES)) throw new NotImplemented(`customers(sortKey: ${args.sortKey})`);
    const terms = parseSearchQuery(args.query);
    const now = context.state.clock();
    const selected = [...context.shop.customers.values()].filter((customer) => terms.every((term) => matches(customer, term, now)));
    return connection(selected, args, { id: (customer) => customer.id, sortValue: SORT_VALUES[args.sortKey] }, (customer) => customerObject(customer, context));
  },
};
