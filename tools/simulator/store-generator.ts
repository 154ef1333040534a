// A generated store for the demo and tests: a catalog (some products consumable,
// with the number of days one lasts; each with its variant, SKU and vendor),
// customers spread as real shops see them (a few heavy buyers, many one-time
// buyers; regions, time zones, locales en and zh-CN, a mix of marketing
// consent, some birthdays staff noted at the counter), and order histories
// that repeat at each customer's own cadence: online orders shipped with
// tracking (a few stuck in transit or failed, a few untracked) and POS sales in
// the shop's two stores, some with a discount code, and after the order the
// things that happen to real orders: cancellations, edits before shipping,
// returns of a line, shipping refunded for a late parcel, goodwill money back
// without lines, full refunds.
//
// The known response (issue 17, part 3): `KNOWN_RESPONSES` says how much each
// kind of message raises the chance that its customer orders within the
// attribution window, and `responseOrder` draws that order for a message the
// app actually sent. Held-out customers get no message and so no response;
// their orders are only the store's own rhythm. The demo feeds every sent
// message through `responseOrder` as its simulated hours pass, so the orders a
// message earned arrive after it, in the demo's time, as webhooks.
//
// Pure and seeded: the same options give the same store, the same message the
// same response. What an order costs at checkout (the member discount, which
// depends on the member's tier at that moment) is decided when it is placed
// (store-events.ts, checkout.ts); the caller decides what Shopify already
// holds (orders before the app was installed) and what arrives as webhooks.

export interface GeneratedProduct {
  id: string;
  /** The product's one variant (every product here has a single variant). */
  variantId: string;
  sku: string;
  vendor: string;
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
  /** `province` is the province's name as Shopify's address gives it beside the code. */
  region: { countryCode: string; provinceCode: string | null; province: string | null; city: string; timeZone: string };
  emailMarketing: "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED";
  smsMarketing: "SUBSCRIBED" | "NOT_SUBSCRIBED" | null;
  kind: BuyerKind;
  /** The local hour this customer usually shops at (orders fall within two hours of it). */
  activeHour: number;
  /** The customer's usual days between orders. */
  cadenceDays: number;
  /** MM-DD, when staff noted it in the customer's file (mostly at a store's counter). */
  birthday: string | null;
  createdAt: Date;
}

/** The shop's own stores, where POS sales happen. */
export interface GeneratedLocation {
  id: string;
  name: string;
  city: string;
  countryCode: string;
  /**
   * The staff who work its counter: Shopify user ids of the simulated shop's
   * staff accounts (tools/simulator/state.ts defaultStaff), so token exchange
   * names them. A POS sale is rung up by one of them (the order's `user_id`).
   */
  staff: string[];
}

export type ShipmentOutcome = "delivered" | "stuck" | "failed" | "untracked";

export interface GeneratedLine {
  id: string;
  productId: string;
  variantId: string;
  sku: string;
  vendor: string;
  title: string;
  tags: string[];
  isGiftCard: boolean;
  quantity: number;
  priceMinor: number;
}

/**
 * What happens to an order after it is placed, as Shopify records it:
 * - `edit`: before shipping, the shopper asks to drop one of a line's units;
 *   the merchant edits the order (orders/edited, orders/updated with the
 *   current_* amounts) and refunds the unit (a refund with a `cancel` line).
 * - `lineRefund`: a unit of a line comes back (a refund with a `return` line).
 * - `shippingRefund`: a late parcel's shipping is refunded (a refund with a
 *   shipping refund and no lines).
 * - `goodwill`: money back without lines (a refund with an order adjustment),
 *   `percent` of what the lines were paid.
 * - `fullRefund`: every line refunded.
 */
export type OrderChange =
  | { kind: "edit"; id: string; at: Date; lineId: string; removeQuantity: number }
  | { kind: "lineRefund"; id: string; at: Date; lineId: string; quantity: number }
  | { kind: "shippingRefund"; id: string; at: Date }
  | { kind: "goodwill"; id: string; at: Date; percent: number }
  | { kind: "fullRefund"; id: string; at: Date };

export interface GeneratedOrder {
  id: string;
  customerId: string;
  createdAt: Date;
  /** "web" (the online store, shipped) or "pos" (a sale at one of the shop's stores, taken home). */
  sourceName: "web" | "pos";
  /** The store of a POS sale. */
  locationId: string | null;
  /** The staff member who rang up a POS sale (Shopify's `user_id` on the order); null online. */
  staffId: string | null;
  lines: GeneratedLine[];
  /** The lines at list price (before any discount). */
  subtotalMinor: number;
  /** Shipping charged on an online order at list price; POS sales ship nothing. */
  shippingMinor: number;
  /** A discount code the shopper entered at checkout, if any: a percentage off, or an amount off the order. */
  code: { code: string; percent: number; amountMinor?: number } | null;
  cancelledAt: Date | null;
  /** Edits and refunds, oldest first. */
  changes: OrderChange[];
  shipment: {
    fulfillmentId: string;
    at: Date;
    trackingCompany: string | null;
    trackingNumber: string | null;
    outcome: ShipmentOutcome;
    events: Array<{ id: string; status: "in_transit" | "out_for_delivery" | "delivered" | "failure"; at: Date }>;
  } | null;
  /** The message this order answers (see KNOWN_RESPONSES), or null for the store's own rhythm. */
  respondsTo: { activity: string; step: string; sentAt: Date } | null;
}

export interface GeneratedStore {
  seed: number;
  products: GeneratedProduct[];
  locations: GeneratedLocation[];
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
const HOUR = 3_600_000;

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

/** FNV-1a over a text: a seed fixed by names, so a response does not depend on the order messages are looked at. */
function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const CATALOG: Array<Omit<GeneratedProduct, "id" | "variantId">> = [
  { title: "Daily Face Cream 50 ml", sku: "SK-CRM-050", vendor: "Aster Skin", productType: "Skincare", tags: ["consumable", "skincare"], priceMinor: 3_800, usagePeriodDays: 45, isGiftCard: false },
  { title: "Gentle Cleanser 200 ml", sku: "SK-CLN-200", vendor: "Aster Skin", productType: "Skincare", tags: ["consumable", "skincare"], priceMinor: 2_400, usagePeriodDays: 60, isGiftCard: false },
  { title: "Vitamin C Serum 30 ml", sku: "SK-SRM-030", vendor: "Aster Skin", productType: "Skincare", tags: ["consumable", "skincare"], priceMinor: 5_600, usagePeriodDays: 40, isGiftCard: false },
  { title: "Sunscreen SPF 50", sku: "SK-SUN-050", vendor: "Aster Skin", productType: "Skincare", tags: ["consumable", "skincare", "summer"], priceMinor: 2_900, usagePeriodDays: 50, isGiftCard: false },
  { title: "Green Tea Leaves 250 g", sku: "TE-GRN-250", vendor: "Hillside Tea Co.", productType: "Tea", tags: ["consumable", "tea"], priceMinor: 1_900, usagePeriodDays: 30, isGiftCard: false },
  { title: "Oolong Tea 250 g", sku: "TE-OOL-250", vendor: "Hillside Tea Co.", productType: "Tea", tags: ["consumable", "tea"], priceMinor: 2_600, usagePeriodDays: 30, isGiftCard: false },
  { title: "Coffee Beans 1 kg", sku: "CO-BEA-1KG", vendor: "North Roast", productType: "Coffee", tags: ["consumable", "coffee"], priceMinor: 3_200, usagePeriodDays: 28, isGiftCard: false },
  { title: "Shampoo Refill 1 l", sku: "HA-SHR-1L", vendor: "Aster Skin", productType: "Hair care", tags: ["consumable", "hair"], priceMinor: 2_200, usagePeriodDays: 75, isGiftCard: false },
  { title: "Ceramic Tea Set", sku: "HO-TSET-4", vendor: "Hillside Tea Co.", productType: "Homeware", tags: ["homeware", "care-instructions"], priceMinor: 8_900, usagePeriodDays: null, isGiftCard: false },
  { title: "Silk Pillowcase", sku: "HO-SLK-PIL", vendor: "Moonlit Home", productType: "Homeware", tags: ["homeware", "care-instructions"], priceMinor: 6_500, usagePeriodDays: null, isGiftCard: false },
  { title: "Cashmere Scarf", sku: "AP-CSH-SCF", vendor: "Moonlit Home", productType: "Apparel", tags: ["apparel", "care-instructions"], priceMinor: 12_000, usagePeriodDays: null, isGiftCard: false },
  { title: "Linen Shirt", sku: "AP-LIN-SHT", vendor: "Moonlit Home", productType: "Apparel", tags: ["apparel"], priceMinor: 7_800, usagePeriodDays: null, isGiftCard: false },
  { title: "Limited Edition Teapot", sku: "HO-TPOT-LTD", vendor: "Hillside Tea Co.", productType: "Homeware", tags: ["homeware", "no-member-discount"], priceMinor: 15_000, usagePeriodDays: null, isGiftCard: false },
  { title: "Gift Card", sku: "GC-050", vendor: "MemberCare Demo Store", productType: "Gift card", tags: ["gift-card"], priceMinor: 5_000, usagePeriodDays: null, isGiftCard: true },
];

/**
 * The shop's two stores: customers in these cities buy at the counter about
 * 40% of the time. The store simulator's shops have these locations (with
 * these ids and names) unless a test names its own (state.ts defaultLocations),
 * so the app's `locations` query names the stores the generated POS sales name.
 */
export const STORE_LOCATIONS: readonly GeneratedLocation[] = [
  { id: "71000000001", name: "Shanghai Jing'an store", city: "Shanghai", countryCode: "CN", staff: ["4"] },
  { id: "71000000002", name: "San Francisco Hayes Valley store", city: "San Francisco", countryCode: "US", staff: ["7", "9"] },
];
const LOCATIONS = STORE_LOCATIONS;
const POS_SHARE = 0.4;

/**
 * Online shipping: a flat rate below the free-shipping threshold. Codes: a
 * welcome code on some first online orders and a seasonal code now and then.
 */
const SHIPPING_MINOR = 600;
const FREE_SHIPPING_FROM_MINOR = 6_000;
const WELCOME_CODE = { code: "WELCOME10", percent: 10 };
const SEASONAL_CODE = { code: "TEATIME15", percent: 15 };

const REGIONS: Array<GeneratedCustomer["region"] & { weight: number; locale: "en" | "zh-CN" }> = [
  { countryCode: "CN", provinceCode: "SH", province: "Shanghai", city: "Shanghai", timeZone: "Asia/Shanghai", weight: 18, locale: "zh-CN" },
  { countryCode: "CN", provinceCode: "BJ", province: "Beijing", city: "Beijing", timeZone: "Asia/Shanghai", weight: 10, locale: "zh-CN" },
  { countryCode: "TW", provinceCode: null, province: null, city: "Taipei", timeZone: "Asia/Taipei", weight: 4, locale: "zh-CN" },
  { countryCode: "SG", provinceCode: null, province: null, city: "Singapore", timeZone: "Asia/Singapore", weight: 5, locale: "en" },
  { countryCode: "US", provinceCode: "NY", province: "New York", city: "New York", timeZone: "America/New_York", weight: 16, locale: "en" },
  { countryCode: "US", provinceCode: "CA", province: "California", city: "San Francisco", timeZone: "America/Los_Angeles", weight: 14, locale: "en" },
  { countryCode: "CA", provinceCode: "ON", province: "Ontario", city: "Toronto", timeZone: "America/Toronto", weight: 7, locale: "en" },
  { countryCode: "GB", provinceCode: null, province: null, city: "London", timeZone: "Europe/London", weight: 10, locale: "en" },
  { countryCode: "DE", provinceCode: null, province: null, city: "Berlin", timeZone: "Europe/Berlin", weight: 6, locale: "en" },
  { countryCode: "AU", provinceCode: "NSW", province: "New South Wales", city: "Sydney", timeZone: "Australia/Sydney", weight: 10, locale: "en" },
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
  return new Date(localMidnight + hour * HOUR - offsetMs);
}

/** Buyer kinds as shops see them: most buy once, a few buy all the time. */
const KINDS: Array<{ kind: BuyerKind; share: number; cadence: [number, number] }> = [
  { kind: "heavy", share: 0.05, cadence: [12, 30] },
  { kind: "regular", share: 0.2, cadence: [30, 70] },
  { kind: "occasional", share: 0.25, cadence: [90, 200] },
  { kind: "one-time", share: 0.5, cadence: [365, 365] },
];

/**
 * After-order changes, as shares of orders (a consumables and homeware shop:
 * returns are rarer than in apparel). Cancelled orders get none of these.
 */
export const CHANGE_RATES = {
  cancelled: 0.035,
  /** Of online orders with a line of two or more, before shipping. */
  edit: 0.05,
  lineRefund: 0.04,
  /** Of online orders that paid shipping and whose parcel was late (stuck or failed), and a few others. */
  shippingRefund: 0.35,
  goodwill: 0.015,
  fullRefund: 0.015,
} as const;

function makeProducts(): GeneratedProduct[] {
  return CATALOG.map((product, index) => ({ ...product, id: String(9_100_000_000 + index + 1), variantId: String(4_910_000_000 + index + 1) }));
}

const lineOf = (id: string, product: GeneratedProduct, quantity: number): GeneratedLine => ({
  id,
  productId: product.id,
  variantId: product.variantId,
  sku: product.sku,
  vendor: product.vendor,
  title: product.title,
  tags: product.tags,
  isGiftCard: product.isGiftCard,
  quantity,
  priceMinor: product.priceMinor,
});

interface OrderDraw {
  random: () => number;
  id: (prefix: number) => string;
}

/** Shipping, cancellation, edits, refunds and the parcel's journey for an order's lines: the same for the store's own orders and responses. */
/**
 * Who rings up a POS sale: one of the store's staff, chosen from the order's
 * id (not from the seeded stream, so adding staff changed no other draw).
 */
function cashierOf(orderId: string, locationId: string | null): string | null {
  const staff = LOCATIONS.find((location) => location.id === locationId)?.staff ?? [];
  return staff.length ? staff[hashSeed(orderId) % staff.length] : null;
}

function orderLife(draw: OrderDraw, base: { id: string; customerId: string; createdAt: Date; lines: GeneratedLine[]; sourceName: "web" | "pos"; locationId: string | null; code: GeneratedOrder["code"]; respondsTo: GeneratedOrder["respondsTo"] }, options: { changes: boolean }): GeneratedOrder {
  const { random, id } = draw;
  const between = (low: number, high: number) => low + random() * (high - low);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const { createdAt, lines } = base;
  const subtotalMinor = lines.reduce((sum, line) => sum + line.priceMinor * line.quantity, 0);
  const web = base.sourceName === "web";
  const shippingMinor = web && subtotalMinor < FREE_SHIPPING_FROM_MINOR ? SHIPPING_MINOR : 0;
  const roll = random();
  const cancelledAt = options.changes && web && roll < CHANGE_RATES.cancelled ? new Date(createdAt.getTime() + between(1, 20) * HOUR) : null;

  let shipment: GeneratedOrder["shipment"] = null;
  if (web && !cancelledAt) {
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
        events.push({ id: id(4), status: "delivered", at: new Date(out + between(2, 10) * HOUR) });
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

  const changes: OrderChange[] = [];
  if (options.changes && !cancelledAt) {
    const multi = lines.find((line) => line.quantity > 1 && !line.isGiftCard);
    if (web && multi && random() < CHANGE_RATES.edit) {
      // Edited before it ships: between the order and the shipment.
      const by = shipment ? shipment.at.getTime() : createdAt.getTime() + DAY;
      changes.push({ kind: "edit", id: id(7), at: new Date(createdAt.getTime() + (by - createdAt.getTime()) * between(0.2, 0.8)), lineId: multi.id, removeQuantity: 1 });
    }
    const after = shipment?.events.at(-1)?.at.getTime() ?? createdAt.getTime() + between(1, 3) * DAY;
    const kindRoll = random();
    const returnable = lines.filter((line) => !line.isGiftCard);
    if (kindRoll < CHANGE_RATES.fullRefund) {
      changes.push({ kind: "fullRefund", id: id(7), at: new Date(after + between(2, 12) * DAY) });
    } else if (kindRoll < CHANGE_RATES.fullRefund + CHANGE_RATES.lineRefund && returnable.length) {
      const line = pick(returnable);
      changes.push({ kind: "lineRefund", id: id(7), at: new Date(after + between(3, 14) * DAY), lineId: line.id, quantity: 1 });
    } else if (kindRoll < CHANGE_RATES.fullRefund + CHANGE_RATES.lineRefund + CHANGE_RATES.goodwill) {
      changes.push({ kind: "goodwill", id: id(7), at: new Date(after + between(1, 6) * DAY), percent: pick([10, 15, 20]) });
    }
    const late = shipment && (shipment.outcome === "stuck" || shipment.outcome === "failed");
    if (shippingMinor > 0 && late && random() < CHANGE_RATES.shippingRefund && !changes.some((change) => change.kind === "fullRefund")) {
      changes.push({ kind: "shippingRefund", id: id(7), at: new Date(shipment!.at.getTime() + between(8, 12) * DAY) });
    }
    changes.sort((a, b) => a.at.getTime() - b.at.getTime());
  }
  return { ...base, staffId: base.sourceName === "pos" ? cashierOf(base.id, base.locationId) : null, subtotalMinor, shippingMinor, cancelledAt, changes, shipment };
}

export function generateStore(options: StoreOptions): GeneratedStore {
  const random = seededRandom(options.seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const between = (low: number, high: number) => low + random() * (high - low);
  const span = options.end.getTime() - options.start.getTime();
  let sequence = 0;
  const id = (prefix: number) => String(prefix * 1_000_000_000 + ++sequence);
  const draw: OrderDraw = { random, id };

  const products = makeProducts();
  const regular = products.filter((product) => !product.isGiftCard);
  const giftCard = products.find((product) => product.isGiftCard)!;
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
    const location = LOCATIONS.find((store) => store.city === region.city) ?? null;
    const birthdayDay = new Date(Date.UTC(2000, 0, 1) + Math.floor(random() * 366) * DAY);
    // Staff note birthdays at the counter more often than online customers give them.
    const knowsBirthday = random() < (location ? 0.6 : 0.3);
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
      birthday: knowsBirthday ? birthdayDay.toISOString().slice(5, 10) : null,
      createdAt: new Date(joined),
    };
    customers.push(customer);

    // Favourite products: a consumable for most repeat buyers, so reorders follow its usage period.
    const favourites = [pick(regular), pick(regular)];
    let at = joined;
    let first = true;
    while (at <= options.end.getTime()) {
      const pos = location !== null && random() < POS_SHARE;
      // A store's counter keeps shop hours; online orders follow the customer's own hour.
      const placed = atLocalHour(at, pos ? between(11, 20) : customer.activeHour + between(-2, 2), region.timeZone);
      const picked = [{ product: random() < 0.75 ? favourites[0] : favourites[1], quantity: random() < 0.2 ? 2 : 1 }];
      if (random() < 0.3) picked.push({ product: pick(regular.filter((product) => product !== picked[0].product)), quantity: 1 });
      if (random() < 0.03) picked.push({ product: giftCard, quantity: 1 });
      // The account is made at the first checkout, just before the order.
      if (placed.getTime() <= customer.createdAt.getTime()) customer.createdAt = new Date(placed.getTime() - 10 * 60_000);
      const codeRoll = random();
      const code = pos ? null : first && codeRoll < 0.25 ? WELCOME_CODE : !first && codeRoll < 0.04 ? SEASONAL_CODE : null;
      const lines = picked.map(({ product, quantity }) => lineOf(id(3), product, quantity));
      orders.push(orderLife(draw, { id: id(5), customerId, createdAt: placed, lines, sourceName: pos ? "pos" : "web", locationId: pos ? location.id : null, code, respondsTo: null }, { changes: true }));
      first = false;
      if (kind.kind === "one-time") break;
      // The next order: around the cadence, sometimes skipped or early; some customers stop buying.
      if (random() < (kind.kind === "heavy" ? 0.02 : 0.08)) break;
      const usage = picked[0].product.usagePeriodDays;
      const interval = usage && kind.kind !== "occasional" ? (usage * picked[0].quantity + customer.cadenceDays) / 2 : customer.cadenceDays;
      at += Math.max(3, interval * between(0.7, 1.4)) * DAY + between(-6, 6) * HOUR;
    }
  }
  orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return { seed: options.seed, products, locations: [...LOCATIONS], customers, orders };
}

// ------------------------------------------------------------- known response

/**
 * The known response to each kind of message: how many points a message the
 * app sent adds to the chance that its customer places an order within
 * RESPONSE_WITHIN_DAYS of it (on top of the orders the customer's own rhythm
 * brings, which the store generator drew before any message existed). A
 * held-out customer is sent nothing and so gets nothing from here; a contacted
 * customer whose message the contact policy blocked (no consent, the cap) or
 * that expired gets nothing either: only a sent message has an effect.
 *
 * The figures are generous on purpose, so the demo's few hundred customers
 * per flow show an effect a 10% holdout can measure; they are not a claim
 * about real shops. Keys are `flow:<flow>/<step>` and `campaign` (every step of
 * every campaign).
 */
export const KNOWN_RESPONSES: Readonly<Record<string, { lift: number; basket: "reminded" | "favourite" | "tasting" }>> = {
  "flow:replenishment/reminder": { lift: 0.3, basket: "reminded" },
  "flow:winBack/atRisk": { lift: 0.15, basket: "favourite" },
  "flow:winBack/dormant": { lift: 0.1, basket: "favourite" },
  "flow:postDelivery/deliveryCheck": { lift: 0.05, basket: "favourite" },
  "flow:postDelivery/usageTips": { lift: 0.08, basket: "reminded" },
  "flow:postDelivery/reviewRequest": { lift: 0.03, basket: "favourite" },
  "flow:postDelivery/experienceCheck": { lift: 0.03, basket: "favourite" },
  "flow:tierUpgrade/congratulations": { lift: 0.12, basket: "favourite" },
  "flow:downgradeWarning/warning": { lift: 0.25, basket: "favourite" },
  "flow:birthday/greeting": { lift: 0.2, basket: "favourite" },
  // A notice that a parcel is late sells nothing.
  "flow:shipmentNotice/onIt": { lift: 0, basket: "favourite" },
  campaign: { lift: 0.1, basket: "tasting" },
};
/** A response order comes between RESPONSE_AFTER_HOURS and RESPONSE_WITHIN_DAYS after the send (inside the 7-day attribution window of a message sent on time). */
export const RESPONSE_AFTER_HOURS = 2;
export const RESPONSE_WITHIN_DAYS = 5;

export interface SentMessage {
  customerId: string;
  /** "flow:<flow>" or "campaign:<id>". */
  activity: string;
  step: string;
  sentAt: Date;
  /** The product the message is about (its order's first line), when it names one. */
  productTitle?: string | null;
  /** The offer code the message carried, if any: the response uses it at checkout. */
  offerCode?: { code: string; percent: number; amountMinor?: number } | null;
}

export const knownResponse = (message: Pick<SentMessage, "activity" | "step">) =>
  message.activity.startsWith("campaign:") ? KNOWN_RESPONSES.campaign : (KNOWN_RESPONSES[`${message.activity}/${message.step}`] ?? { lift: 0, basket: "favourite" as const });

/**
 * The order a sent message earns, drawn with the message's known lift, or
 * null. Seeded by the store's seed and the message itself, so the same message
 * always gets the same answer whatever else happened. Online, from the
 * customer's usual basket (what the message named, else their most bought
 * product; an autumn tasting sells the tea), with the offer code the
 * message carried (a win-back's) entered at checkout, placed between
 * RESPONSE_AFTER_HOURS and RESPONSE_WITHIN_DAYS after the send; never
 * cancelled, edited or refunded, so what it adds is exactly its lines after
 * the checkout's discounts.
 */
export function responseOrder(store: GeneratedStore, message: SentMessage): GeneratedOrder | null {
  const response = knownResponse(message);
  const key = `${store.seed}|${message.customerId}|${message.activity}|${message.step}|${message.sentAt.toISOString()}`;
  const random = seededRandom(hashSeed(key));
  if (!(random() < response.lift)) return null;
  const customer = store.customers.find((candidate) => candidate.id === message.customerId);
  if (!customer) return null;
  let sequence = 0;
  const idBase = hashSeed(`${key}|ids`) % 1_000_000;
  // Ids apart from the generated store's (prefix * 1e9 + a sequence under 1e9): 6e9+ for orders, lines and their parcels.
  const id = (prefix: number) => String((60 + prefix) * 100_000_000_000 + idBase * 100 + ++sequence);
  const regular = store.products.filter((product) => !product.isGiftCard);
  const bought = new Map<string, number>();
  for (const order of store.orders) if (order.customerId === customer.id) for (const line of order.lines) if (!line.isGiftCard) bought.set(line.productId, (bought.get(line.productId) ?? 0) + line.quantity);
  const favourite = regular.find((product) => product.id === [...bought].sort((a, b) => b[1] - a[1])[0]?.[0]) ?? regular[Math.floor(random() * regular.length)];
  const named = message.productTitle ? regular.find((product) => product.title === message.productTitle) : undefined;
  const product = response.basket === "tasting" ? regular.find((candidate) => candidate.tags.includes("tea"))! : response.basket === "reminded" ? (named ?? favourite) : favourite;
  const lines = [lineOf(id(3), product, random() < 0.25 ? 2 : 1)];
  if (random() < 0.25) {
    const other = regular.filter((candidate) => candidate !== product);
    lines.push(lineOf(id(3), other[Math.floor(random() * other.length)], 1));
  }
  const delayMs = (RESPONSE_AFTER_HOURS * HOUR) + random() * (RESPONSE_WITHIN_DAYS * DAY - RESPONSE_AFTER_HOURS * HOUR);
  const createdAt = new Date(message.sentAt.getTime() + delayMs);
  return orderLife(
    { random, id },
    { id: id(5), customerId: customer.id, createdAt, lines, sourceName: "web", locationId: null, code: message.offerCode ?? null, respondsTo: { activity: message.activity, step: message.step, sentAt: message.sentAt } },
    { changes: false },
  );
}

// ------------------------------------------------------------- the counter

/** One save of a customer file by staff (issue 21): who, where, when, the whole form after it, and whether it created the file. */
export interface CounterFileSave {
  customerId: string;
  at: Date;
  staffId: string;
  /** The store at whose POS it was saved; null: in the admin. */
  locationId: string | null;
  /** The file's values after the save (a save replaces the form), as the form posts them. */
  fields: Record<string, string>;
  /** Fields this save filled. */
  added: string[];
  registers: boolean;
}

/** The shop owner's user id (defaultStaff): files of customers no store knows are kept in the admin. */
export const OWNER_STAFF_ID = "1";

/**
 * The customer files staff keep (issue 21), pure and seeded by ids: at the
 * install, the birthdays staff had noted (at the customer's store's counter
 * when there is one, else in the admin by the owner); then at POS sales from
 * the install on, the cashier registers about 70% of the customers who have
 * no file yet and adds to about 30% of the files of those who have one. What
 * they record never changes which messages the contact policy lets through
 * (email as the channel, any time, promotions welcome): the demo's message
 * figures stay the generator's.
 */
export function counterFileSaves(store: GeneratedStore, installAt: Date, end: Date): CounterFileSave[] {
  const customers = new Map(store.customers.map((customer) => [customer.id, customer]));
  const kept = new Map<string, Record<string, string>>();
  const saves: CounterFileSave[] = [];
  const ladder = (customer: GeneratedCustomer, productTitle: string): Array<[string, string]> => [
    ["clothingSize", ["S", "M", "L", "XL"][hashSeed(`${customer.id}:size`) % 4]],
    ["shoeSize", String(36 + (hashSeed(`${customer.id}:shoe`) % 9))],
    ["preferredChannel", "email"],
    ["productPreferences", productTitle],
    ["acceptsPromotions", "yes"],
    ["preferredContactTime", "any"],
    ["stylePreferences", ["classic", "minimal", "bright colours", "natural fabrics"][hashSeed(`${customer.id}:style`) % 4]],
    ["occupation", ["teacher", "designer", "nurse", "engineer", "student"][hashSeed(`${customer.id}:job`) % 5]],
  ];
  const save = (customer: GeneratedCustomer, at: Date, staffId: string, locationId: string | null, wanted: Array<[string, string]>, count: number) => {
    const before = kept.get(customer.id);
    const fields = { ...(before ?? {}) };
    const added: string[] = [];
    for (const [field, value] of wanted) {
      if (added.length >= count) break;
      if (fields[field] !== undefined) continue;
      fields[field] = value;
      added.push(field);
    }
    if (added.length === 0) return;
    kept.set(customer.id, fields);
    saves.push({ customerId: customer.id, at, staffId, locationId, fields, added, registers: before === undefined });
  };
  const firstTitle = new Map<string, string>();
  for (const order of store.orders) if (!firstTitle.has(order.customerId) && order.lines[0]) firstTitle.set(order.customerId, order.lines[0].title);
  for (const customer of store.customers) {
    if (!customer.birthday || customer.createdAt >= installAt) continue;
    const store_ = LOCATIONS.find((location) => location.city === customer.region.city);
    // At a store's counter staff learnt more than the birthday: two more fields, or (for about 40%) seven, a complete file (80).
    const more = store_ ? (hashSeed(`${customer.id}:noted`) % 10 < 4 ? 7 : 2) : 0;
    save(customer, installAt, store_ ? store_.staff[0] : OWNER_STAFF_ID, store_?.id ?? null, [["birthday", customer.birthday], ...ladder(customer, firstTitle.get(customer.id) ?? "tea")], 1 + more);
  }
  for (const order of store.orders) {
    if (order.sourceName !== "pos" || !order.staffId || order.createdAt < installAt || order.createdAt >= end) continue;
    const customer = customers.get(order.customerId)!;
    const roll = hashSeed(`${order.id}:file`) % 10;
    const known = kept.has(customer.id);
    if (known ? roll >= 3 : roll >= 7) continue;
    // A few minutes after the sale, while the customer is still at the counter.
    save(customer, new Date(order.createdAt.getTime() + 3 * 60_000), order.staffId, order.locationId, ladder(customer, order.lines[0]?.title ?? "tea"), known ? 3 : 4);
  }
  return saves.sort((a, b) => a.at.getTime() - b.at.getTime());
}
