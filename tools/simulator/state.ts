// The simulated stores' data: what Shopify holds for each shop. Resolvers read
// and change it; tests seed it directly and assert on it afterwards.

/** Ids are the numeric part of Shopify gids, kept as strings: they exceed 2^53. */
export type NumericId = string;

export interface SimCustomer {
  id: NumericId;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  emailMarketingState: "NOT_SUBSCRIBED" | "PENDING" | "SUBSCRIBED" | "UNSUBSCRIBED" | "INVALID";
  phone: string | null;
  locale: string;
  note: string | null;
  state: "DISABLED" | "INVITED" | "ENABLED" | "DECLINED";
  tags: string[];
  numberOfOrders: number;
  /** In the shop currency's minor units. */
  amountSpentMinor: number;
  createdAt: string;
  updatedAt: string;
}

export interface SimMetafield {
  id: NumericId;
  ownerId: string; // gid
  namespace: string; // as stored: `$app` already resolved to `app--<client id>`
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimLocale {
  locale: string;
  primary: boolean;
  published: boolean;
}

export interface SimShop {
  id: NumericId;
  domain: string;
  accessToken: string;
  /** The app's client id, which `$app` namespaces resolve to. */
  apiClientId: string;
  name: string;
  email: string;
  ianaTimezone: string;
  currencyCode: string;
  locales: SimLocale[];
  customers: Map<NumericId, SimCustomer>;
  /** Keyed by `metafieldKey(ownerId, namespace, key)`. */
  metafields: Map<string, SimMetafield>;
  createdAt: string;
}

export interface AddShopOptions {
  shop: string;
  accessToken: string;
  apiClientId?: string;
  name?: string;
  email?: string;
  ianaTimezone?: string;
  currencyCode?: string;
  /** Published locales, the first one primary. */
  locales?: string[];
}

export type NewCustomer = Partial<SimCustomer>;

export const metafieldKey = (ownerId: string, namespace: string, key: string) => `${ownerId}|${namespace}|${key}`;

export class SimulatorState {
  readonly shops = new Map<string, SimShop>();
  // Past 2^53 from the first id on, so anything that rounds ids fails at once.
  private nextId = 2n ** 53n + 1n;

  constructor(readonly clock: () => number) {}

  /** The simulated clock as Shopify formats DateTime: UTC, whole seconds. */
  now(): string {
    return new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  newId(): NumericId {
    return String(this.nextId++);
  }

  addShop(options: AddShopOptions): SimShop {
    const shop: SimShop = {
      id: this.newId(),
      domain: options.shop,
      accessToken: options.accessToken,
      apiClientId: options.apiClientId ?? "test-api-key",
      name: options.name ?? options.shop.replace(/\.myshopify\.com$/, ""),
      email: options.email ?? `owner@${options.shop}`,
      ianaTimezone: options.ianaTimezone ?? "America/New_York",
      currencyCode: options.currencyCode ?? "USD",
      locales: (options.locales ?? ["en"]).map((locale, index) => ({ locale, primary: index === 0, published: true })),
      customers: new Map(),
      metafields: new Map(),
      createdAt: this.now(),
    };
    this.shops.set(shop.domain, shop);
    return shop;
  }

  shop(domain: string): SimShop {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`store simulator has no shop ${domain}`);
    return shop;
  }

  addCustomer(domain: string, fields: NewCustomer = {}): SimCustomer {
    const now = this.now();
    const customer: SimCustomer = {
      id: this.newId(),
      firstName: null,
      lastName: null,
      email: null,
      emailMarketingState: "NOT_SUBSCRIBED",
      phone: null,
      locale: "en",
      note: null,
      state: "DISABLED",
      tags: [],
      numberOfOrders: 0,
      amountSpentMinor: 0,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    this.shop(domain).customers.set(customer.id, customer);
    return customer;
  }
}
