// The simulated stores' data: what Shopify would hold for each shop.
import { createHash } from "node:crypto";

export interface SimCustomer {
  id: string; // numeric part of the gid
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  tags: string[];
  numberOfOrders: number;
  amountSpentMinor: number;
  createdAt: string;
  updatedAt: string;
}

export interface SimMetafield {
  id: string;
  ownerId: string; // gid
  namespace: string; // resolved: $app becomes app--<client id>
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimShop {
  domain: string;
  accessToken: string;
  apiClientId: string;
  name: string;
  ianaTimezone: string;
  currencyCode: string;
  locales: Array<{ locale: string; primary: boolean; published: boolean }>;
  customers: Map<string, SimCustomer>;
  metafields: Map<string, SimMetafield>; // by `${ownerId}|${namespace}|${key}`
  /** Leaky bucket of query cost points. */
  bucket: { available: number; updatedAt: number };
}

export interface AddShopOptions {
  shop: string;
  accessToken: string;
  apiClientId?: string;
  name?: string;
  ianaTimezone?: string;
  currencyCode?: string;
  locales?: string[];
}

export class SimulatorState {
  readonly shops = new Map<string, SimShop>();
  private nextId = 9_007_199_254_740_993n; // past 2^53: ids must survive as strings end to end

  constructor(private readonly bucketSize: number) {}

  addShop(options: AddShopOptions): SimShop {
    const shop: SimShop = {
      domain: options.shop,
      accessToken: options.accessToken,
      apiClientId: options.apiClientId ?? "test-api-key",
      name: options.name ?? options.shop.replace(".myshopify.com", ""),
      ianaTimezone: options.ianaTimezone ?? "America/New_York",
      currencyCode: options.currencyCode ?? "USD",
      locales: (options.locales ?? ["en"]).map((locale, index) => ({ locale, primary: index === 0, published: true })),
      customers: new Map(),
      metafields: new Map(),
      bucket: { available: this.bucketSize, updatedAt: 0 },
    };
    this.shops.set(options.shop, shop);
    return shop;
  }

  shop(domain: string): SimShop {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`store simulator has no shop ${domain}`);
    return shop;
  }

  newId(): string {
    return String(this.nextId++);
  }

  addCustomer(domain: string, customer: Partial<SimCustomer> & { id?: string }): SimCustomer {
    const now = new Date().toISOString();
    const record: SimCustomer = {
      id: customer.id ?? this.newId(),
      firstName: null,
      lastName: null,
      email: null,
      phone: null,
      locale: "en",
      tags: [],
      numberOfOrders: 0,
      amountSpentMinor: 0,
      createdAt: now,
      updatedAt: now,
      ...customer,
    };
    this.shop(domain).customers.set(record.id, record);
    return record;
  }

  /** `$app` and `$app:foo` resolve to the app's reserved namespace, as Shopify does. */
  static resolveNamespace(namespace: string, apiClientId: string): string {
    if (namespace === "$app") return `app--${apiClientId}`;
    if (namespace.startsWith("$app:")) return `app--${apiClientId}--${namespace.slice(5)}`;
    return namespace;
  }

  static digest(value: string): string {
    return createHash("sha256").update(value).digest("hex");
  }
}
