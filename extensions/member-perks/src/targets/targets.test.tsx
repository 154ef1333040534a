/** @jsxImportSource preact */
// (Pragma: see components.test.tsx.)
//
// The entry modules against a stand-in for Shopify's `shopify` global: the
// API objects each target receives, with Preact signals where Shopify has
// them, so what is read from where (the customer, preloaded metafields, the
// shopper's language, sign-in state) is exercised as well as the rendering.
import { signal } from "@preact/signals";
import { render } from "preact-render-to-string";
import { goldMember, shopperText, translator } from "../../tests/support";
import { ReductionsTarget } from "./checkout-reductions";
import { MembershipPageTarget } from "./membership-page";
import { OrderStatusTarget } from "./order-status";
import { ThankYouTarget } from "./thank-you";

const gold = JSON.stringify(goldMember());

const metafield = (type: string, value: string, key = "membership") => ({
  target: { type, id: `gid://shopify/${type}/1` },
  metafield: { namespace: "$app", key, value, valueType: "json_string", type: "json" },
});

/** The parts of `shopify` the targets read; `membership: null` means the customer has no such metafield. */
/** A cart or order of one line at `amount` dollars, with the member discount the Function gives the subtotal (`memberOff`). */
function order(amount = 0, memberOff = 0, locale = "en-US") {
  const money = (value: number) => ({ amount: value, currencyCode: "USD" });
  const message = locale.startsWith("zh") ? "金卡会员 · 优惠 10%" : "Gold member · 10% off";
  return {
    lines: amount ? [{ id: "gid://shopify/CartLine/1", quantity: 1, cost: { totalAmount: money(amount) }, discountAllocations: [] }] : [],
    discountAllocations: memberOff ? [{ type: "custom", title: message, discountedAmount: money(memberOff) }] : [],
  };
}

function host({ locale = "en-US", customer = true, membership = gold as string | null, authenticationState = "fully_authenticated", cart = order() } = {}) {
  const requireLogin = vi.fn(async () => undefined);
  const shopify = {
    lines: signal(cart.lines),
    discountAllocations: signal(cart.discountAllocations),
    buyerIdentity: { customer: signal(customer ? { id: "gid://shopify/Customer/1" } : undefined) },
    // A product metafield with the same key comes first: only the customer's counts.
    appMetafields: signal([metafield("product", JSON.stringify({ v: 1 })), ...(membership === null ? [] : [metafield("customer", membership)])]),
    localization: { language: signal({ isoCode: locale }) },
    authenticationState: signal(authenticationState),
    requireLogin,
    shop: { storefrontUrl: "https://shop.example/" },
    i18n: {
      translate: translator(locale),
      formatCurrency: (amount: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, { ...options, style: "currency" }).format(amount),
      formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(date),
    },
  };
  (globalThis as { shopify?: unknown }).shopify = shopify;
  return shopify;
}

afterEach(() => {
  delete (globalThis as { shopify?: unknown }).shopify;
});

describe("checkout reductions", () => {
  it("shows the signed-in customer's membership from the preloaded customer metafield", () => {
    host();
    expect(shopperText(render(<ReductionsTarget />))).toBe("Your tier: Gold 10% off your order · Free shipping $42.00 more to reach Platinum");
  });

  it("follows the shopper's language", () => {
    host({ locale: "zh-CN" });
    expect(shopperText(render(<ReductionsTarget />))).toBe("会员等级：金卡 整单优惠 10% · 免运费 再消费 US$42.00 即可升级为白金卡");
  });

  it("follows the cart: a cart that crosses the line says so, and changing the cart changes the line", () => {
    // Gold was $42.00 short of Platinum at the last sync. $50.00 less the member's $5.00 is $45.00.
    const shopify = host({ cart: order(50, 5) });
    expect(shopperText(render(<ReductionsTarget />))).toBe("Your tier: Gold 10% off your order · Free shipping This order takes you to Platinum");
    // The buyer removes items: $30.00 less $3.00 is $27.00, $15.00 short.
    shopify.lines.value = order(30, 3).lines;
    shopify.discountAllocations.value = order(30, 3).discountAllocations;
    expect(shopperText(render(<ReductionsTarget />))).toBe("Your tier: Gold 10% off your order · Free shipping $15.00 more in this order reaches Platinum");
  });

  it("says it in Chinese", () => {
    host({ locale: "zh-CN", cart: order(30, 3, "zh-CN") });
    expect(shopperText(render(<ReductionsTarget />))).toContain("本单再消费 US$15.00 即可升级为白金卡");
  });

  it("renders nothing for a guest, even if a metafield were present", () => {
    host({ customer: false });
    expect(render(<ReductionsTarget />)).toBe("");
  });

  it("renders nothing for a customer without the metafield", () => {
    host({ membership: null });
    expect(render(<ReductionsTarget />)).toBe("");
  });
});

describe("thank-you page", () => {
  it("links a guest to the store's account page", () => {
    host({ customer: false });
    expect(render(<ThankYouTarget />)).toContain('<s-link href="https://shop.example/account">Sign in or create an account</s-link>');
  });

  it("tells a member what the tier saved on this order and what the order does for the next tier", () => {
    host({ cart: order(30, 3) });
    const text = shopperText(render(<ThankYouTarget />));
    expect(text).toContain("Your member discount saved you $3.00 on this order.");
    expect(text).toContain("After this order, $15.00 more reaches Platinum");
    expect(text).not.toContain("$42.00");
  });

  it("treats an unreadable metafield as no membership", () => {
    host({ membership: "{not json" });
    expect(shopperText(render(<ThankYouTarget />))).toBe("Member perks This order counts toward membership. Your status updates shortly, and your account then shows what your tier gives you.");
  });
});

describe("order status page", () => {
  it("offers sign-in to a shopper who arrived from an order email, and asks Shopify for it", () => {
    const shopify = host({ authenticationState: "pre_authenticated" });
    expect(shopperText(render(<OrderStatusTarget />))).toBe("Member perks Sign in to see your member perks. Sign in");
    const perks = OrderStatusTarget();
    perks.props.onSignIn?.();
    expect(shopify.requireLogin).toHaveBeenCalledOnce();
  });

  it("shows a signed-in member their perks", () => {
    host();
    const text = shopperText(render(<OrderStatusTarget />));
    expect(text).toContain("Your tier: Gold 10% off your order · Free shipping");
    expect(text).not.toContain("saved you");
  });

  it("says what the tier saved on the order, and keeps the synced progress (the value may already count the order)", () => {
    host({ locale: "zh-CN", cart: order(50, 5, "zh-CN") });
    const text = shopperText(render(<OrderStatusTarget />));
    expect(text).toContain("本单会员优惠为您节省了 US$5.00。");
    expect(text).toContain("再消费 US$42.00 即可升级为白金卡");
    expect(text).not.toContain("本单将使您升级");
  });
});

describe("My membership page", () => {
  it("starts with a placeholder while it asks the Customer Account API", () => {
    host();
    const html = render(<MembershipPageTarget />);
    expect(html).toContain('<s-page heading="My membership">');
    expect(html).toContain("<s-skeleton-paragraph>");
  });
});
