// A generated store for the demo and tests: a catalog (some products consumable,
// with the number of days one lasts), customers spread as real shops see them
// (a few heavy buyers, many one-time buyers; regions, time zones, locales en and
// zh-CN, a mix of marketing consent), and order histories that repeat at each
// customer's own cadence, with cancellations, refunds and shipments (tracked
// with carrier events; a few stuck in transit or failed; a few untracked).
//
// Pure and seeded: the same options give the same store. The caller decides
// what Shopify already holds (orders before the app was installed) and what
// arrives as webhooks (see `storeWebhooks`).

export interface GeneratedProduct {
  id: string;
  title: string;
  productType: string;
  tags: string[];
  priceMinor: number;
  /** Used up and bought again: how many days one lasts. */
  usagePeriodDays: number | null;
  isGiftCard: boolean;
}

export type BuyerKind = "heavy" | "regular" | "occasional" | "one-time";

export interface GeneratedCustomer {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  locale: "en" | "zh-CN";
  region: { countryCode: string; provinceCode: string | null; city: string; timeZone: string };
  emailMarketing: "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED";
  smsMarketing: "SUBSCRIBED" | "NOT_SUBSCRIBED" | null;
  kind: BuyerKind;
  /** The local hour this customer usually shops at (orders fall within two hours of it). */
  activeHour: number;
  /** The customer's usual days between orders. */
  cadenceDays: number;
  createdAt: Date;
}

export type ShipmentOutcome = "delivered" | "stuck" | "failed" | "untracked";

export interface GeneratedOrder {
  id: string;
  customerId: string;
  createdAt: Date;
  lines: Array<{ id: string; productId: string; quantity: number; priceMinor: number }>;
  subtotalMinor: number;
  cancelledAt: Date | null;
  refund: { id: string; amountMinor: number; at: Date } | null;
  shipment: {
    fulfillmentId: string;
    at: Date;
    trackingCompany: string | null;
    trackingNumber: string | null;
    outcome: ShipmentOutcome;
    events: Array<{ id: string; status: "in_transit" | "out_for_delivery" | "delivered" | "failure"; at: Date }>;
  } | null;
}

export interface GeneratedStore {
  products: GeneratedProduct[];
  customers: GeneratedCustomer[];
  /** Every order, oldest first. */
  orders: GeneratedOrder[];
}

export interface StoreOptions {
  customers: number;
  seed: number;
  /** The store's history runs from `start` to `end`. */
  start: Date;
  end: Date;
}

const DAY = 86_400_000;

/** sfc32, seeded: small, fast and the same on every machine. */
export function seededRandom(seed: number) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const result = (t + d) | 0;
    c = (c + result) | 0;
    return (result >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

const CATALOG: Array<Omit<GeneratedProduct, "id">> = [
  { title: "Daily Face Cream 50 ml", productType: "Skincare", tags: ["consumable", "skincare"], priceMinor: 3_800, usagePeriodDays: 45, isGiftCard: false },
  { title: "Gentle Cleanser 200 ml", productType: "Skincare", tags: ["consumable", "skincare"], priceMinor: 2_400, usagePeriodDays: 60, isGiftCard: false },
  { title: "Vitamin C Serum 30 ml", productType: "Skincare", tags: ["consumable", "skincare"], priceMinor: 5_600, usagePeriodDays: 40, isGiftCard: false },
  { title: "Sunscreen SPF 50", productType: "Skincare", tags: ["consumable", "skincare", "summer"], priceMinor: 2_900, usagePeriodDays: 50, isGiftCard: false },
  { title: "Green Tea Leaves 250 g", productType: "Tea", tags: ["consumable", "tea"], priceMinor: 1_900, usagePeriodDays: 30, isGiftCard: false },
  { title: "Oolong Tea 250 g", productType: "Tea", tags: ["consumable", "tea"], priceMinor: 2_600, usagePeriodDays: 30, isGiftCard: false },
  { title: "Coffee Beans 1 kg", productType: "Coffee", tags: ["consumable", "coffee"], priceMinor: 3_200, usagePeriodDays: 28, isGiftCard: false },
  { title: "Shampoo Refill 1 l", productType: "Hair care", tags: ["consumable", "hair"], priceMinor: 2_200, usagePeriodDays: 75, isGiftCard: false },
  { title: "Ceramic Tea Set", productType: "Homeware", tags: ["homeware", "care-instructions"], priceMinor: 8_900, usagePeriodDays: null, isGiftCard: false },
  { title: "Silk Pillowcase", productType: "Homeware", tags: ["homeware", "care-instructions"], priceMinor: 6_500, usagePeriodDays: null, isGiftCard: false },
  { title: "Cashmere Scarf", productType: "Apparel", tags: ["apparel", "care-instructions"], priceMinor: 12_000, usagePeriodDays: null, isGiftCard: false },
  { title: "Linen Shirt", productType: "Apparel", tags: ["apparel"], priceMinor: 7_800, usagePeriodDays: null, isGiftCard: false },
  { title: "Limited Edition Teapot", productType: "Homeware", tags: ["homeware", "no-member-discount"], priceMinor: 15_000, usagePeriodDays: null, isGiftCard: false },
  { title: "Gift Card", productType: "Gift card", tags: ["gift-card"], priceMinor: 5_000, usagePeriodDays: null, isGiftCard: true },
];

const REGIONS: Array<GeneratedCustomer["region"] & { weight: number; locale: "en" | "zh-CN" }> = [
  { countryCode: "CN", provinceCode: "SH", city: "Shanghai", timeZone: "Asia/Shanghai", weight: 18, locale: "zh-CN" },
  { countryCode: "CN", provinceCode: "BJ", city: "Beijing", timeZone: "Asia/Shanghai", weight: 10, locale: "zh-CN" },
  { countryCode: "TW", provinceCode: null, city: "Taipei", timeZone: "Asia/Taipei", weight: 4, locale: "zh-CN" },
  { countryCode: "SG", provinceCode: null, city: "Singapore", timeZone: "Asia/Singapore", weight: 5, locale: "en" },
  { countryCode: "US", provinceCode: "NY", city: "New York", timeZone: "America/New_York", weight: 16, locale: "en" },
  { countryCode: "US", provinceCode: "CA", city: "San Francisco", timeZone: "America/Los_Angeles", weight: 14, locale: "en" },
  { countryCode: "CA", provinceCode: "ON", city: "Toronto", timeZone: "America/Toronto", weight: 7, locale: "en" },
  { countryCode: "GB", provinceCode: null, city: "London", timeZone: "Europe/London", weight: 10, locale: "en" },
  { countryCode: "DE", provinceCode: null, city: "Berlin", timeZone: "Europe/Berlin", weight: 6, locale: "en" },
  { countryCode: "AU", provinceCode: "NSW", city: "Sydney", timeZone: "Australia/Sydney", weight: 10, locale: "en" },
];

const FIRST_NAMES = ["Ava", "Liam", "Mia", "Noah", "Emma", "Lucas", "Chloe", "Ethan", "Grace", "Leo", "Wei", "Fang", "Jun", "Li", "Hui", "Ming", "Xin", "Yan", "Hao", "Lan"];
const LAST_NAMES = ["Smith", "Chen", "Brown", "Wang", "Taylor", "Li", "Martin", "Zhang", "Wilson", "Liu", "Clark", "Huang", "Lewis", "Zhao", "Walker", "Wu"];
const CARRIERS = ["UPS", "DHL Express", "FedEx", "SF Express", "Royal Mail"];

/** The moment on `day`'s local date in `timeZone` when the clock there shows `hour` (fractional). */
function atLocalHour(day: number, hour: number, timeZone: string): Date {
  const date = new Date(day);
  const offsetName = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(date).find((part) => part.type === "timeZoneName")!.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offsetName);
  const offsetMs = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000 : 0;
  const local = new Date(day + offsetMs);
  const localMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return new Date(localMidnight + hour * 3_600_000 - offsetMs);
}

/** Buyer kinds as shops see them: most buy once, a few buy all the time. */
const KINDS: Array<{ kind: BuyerKind; share: number; cadence: [number, number] }> = [
  { kind: "heavy", share: 0.05, cadence: [12, 30] },
  { kind: "regular", share: 0.2, cadence: [30, 70] },
  { kind: "occasional", share: 0.25, cadence: [90, 200] },
  { kind: "one-time", share: 0.5, cadence: [365, 365] },
];

export function generateStore(options: StoreOptions): GeneratedStore {
  const random = seededRandom(options.seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const between = (low: number, high: number) => low + random() * (high - low);
  const span = options.end.getTime() - options.start.getTime();
  let sequence = 0;
  const id = (prefix: number) => String(prefix * 1_000_000_000 + ++sequence);

  const products: GeneratedProduct[] = CATALOG.map((product, index) => ({ ...product, id: String(9_100_000_000 + index + 1) }));
  const regular = products.filter((product) => !product.isGiftCard);
  const totalWeight = REGIONS.reduce((sum, region) => sum + region.weight, 0);

  const customers: GeneratedCustomer[] = [];
  const orders: GeneratedOrder[] = [];
  for (let c = 0; c < options.customers; c++) {
    let roll = random();
    const kind = KINDS.find((entry) => (roll -= entry.share) < 0) ?? KINDS[KINDS.length - 1];
    let weight = random() * totalWeight;
    const { weight: _weight, locale: regionLocale, ...region } = REGIONS.find((entry) => (weight -= entry.weight) < 0) ?? REGIONS[0];
    const locale = random() < 0.85 ? regionLocale : regionLocale === "en" ? "zh-CN" : "en";
    const firstName = pick(FIRST_NAMES);
    const lastName = pick(LAST_NAMES);
    const customerId = String(800_000 + c);
    // Customers join throughout the history, more of them lately.
    const joined = options.start.getTime() + Math.pow(random(), 0.7) * span;
    const customer: GeneratedCustomer = {
      id: customerId,
      firstName,
      lastName,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${c}@example.com`,
      phone: random() < 0.5 ? `+1555${String(1_000_000 + c).slice(-7)}` : null,
      locale,
      region,
      emailMarketing: random() < 0.55 ? "SUBSCRIBED" : random() < 0.8 ? "NOT_SUBSCRIBED" : "UNSUBSCRIBED",
      smsMarketing: random() < 0.2 ? "SUBSCRIBED" : random() < 0.5 ? "NOT_SUBSCRIBED" : null,
      kind: kind.kind,
      activeHour: pick([8, 10, 12, 13, 19, 20, 21, 21, 22]),
      cadenceDays: Math.round(between(kind.cadence[0], kind.cadence[1])),
      createdAt: new Date(joined),
    };
    customers.push(customer);

    // Favourite products: a consumable for most repeat buyers, so reorders follow its usage period.
    const favourites = [pick(regular), pick(regular)];
    let at = joined;
    while (at <= options.end.getTime()) {
      const placed = atLocalHour(at, customer.activeHour + between(-2, 2), region.timeZone);
      const lines = [{ product: random() < 0.75 ? favourites[0] : favourites[1], quantity: random() < 0.2 ? 2 : 1 }];
      if (random() < 0.3) lines.push({ product: pick(regular), quantity: 1 });
      if (random() < 0.03) lines.push({ product: products.find((product) => product.isGiftCard)!, quantity: 1 });
      // The account is made at the first checkout, just before the order.
      if (placed.getTime() <= customer.createdAt.getTime()) customer.createdAt = new Date(placed.getTime() - 10 * 60_000);
      orders.push(order(customerId, placed, lines));
      if (kind.kind === "one-time") break;
      // The next order: around the cadence, sometimes skipped or early; some customers stop buying.
      if (random() < (kind.kind === "heavy" ? 0.02 : 0.08)) break;
      const usage = lines[0].product.usagePeriodDays;
      const interval = usage && kind.kind !== "occasional" ? (usage * lines[0].quantity + customer.cadenceDays) / 2 : customer.cadenceDays;
      at += Math.max(3, interval * between(0.7, 1.4)) * DAY + between(-6, 6) * 3_600_000;
    }
  }
  orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return { products, customers, orders };

  function order(customerId: string, createdAt: Date, lines: Array<{ product: GeneratedProduct; quantity: number }>): GeneratedOrder {
    const orderId = id(5);
    const items = lines.map(({ product, quantity }) => ({ id: id(3), productId: product.id, quantity, priceMinor: product.priceMinor }));
    const subtotalMinor = items.reduce((sum, line) => sum + line.priceMinor * line.quantity, 0);
    const roll = random();
    const cancelledAt = roll < 0.04 ? new Date(createdAt.getTime() + between(1, 20) * 3_600_000) : null;
    const refund = !cancelledAt && roll < 0.1 ? { id: id(7), amountMinor: Math.round(subtotalMinor * (random() < 0.5 ? 1 : 0.5)), at: new Date(createdAt.getTime() + between(4, 15) * DAY) } : null;
    let shipment: GeneratedOrder["shipment"] = null;
    if (!cancelledAt) {
      const shipped = createdAt.getTime() + between(0.3, 2) * DAY;
      const outcomeRoll = random();
      const outcome: ShipmentOutcome = outcomeRoll < 0.03 ? "stuck" : outcomeRoll < 0.05 ? "failed" : outcomeRoll < 0.1 ? "untracked" : "delivered";
      const events: NonNullable<GeneratedOrder["shipment"]>["events"] = [];
      if (outcome !== "untracked") {
        const transit = shipped + between(0.2, 1) * DAY;
        events.push({ id: id(4), status: "in_transit", at: new Date(transit) });
        if (outcome === "delivered") {
          const out = transit + between(1, 5) * DAY;
          events.push({ id: id(4), status: "out_for_delivery", at: new Date(out) });
          events.push({ id: id(4), status: "delivered", at: new Date(out + between(2, 10) * 3_600_000) });
        } else if (outcome === "failed") {
          events.push({ id: id(4), status: "failure", at: new Date(transit + between(2, 6) * DAY) });
        }
      }
      shipment = {
        fulfillmentId: id(6),
        at: new Date(shipped),
        trackingCompany: outcome === "untracked" ? null : pick(CARRIERS),
        trackingNumber: outcome === "untracked" ? null : `1Z${String(Math.floor(random() * 1e12)).padStart(12, "0")}`,
        outcome,
        events,
      };
    }
    return { id: orderId, customerId, createdAt, lines: items, subtotalMinor, cancelledAt, refund, shipment };
  }
}
