/** @jsxImportSource preact */
// (Pragma: see components.test.tsx.)
//
// The entry modules against a stand-in for Shopify POS's `shopify` global:
// what each target reads from where (the customer's id, the session's
// location and the staff member pinned in, the session token, the POS
// language) and what it sends, as well as what it first renders.
import { signal } from "@preact/signals";
import { render } from "preact-render-to-string";
import { EMPTY_FILE } from "~/domain/customer-file";
import type { PosCustomerView } from "~/domain/pos";
import { shopperText, translator } from "../../tests/support";
import { CustomerBlockTarget } from "./customer-block";
import { CustomerMenuItemTarget } from "./customer-menu-item";
import { FileModal } from "./customer-modal";
import { HomeTileTarget } from "./home-tile";
import { backendOf, counterOf, wordsOf } from "./host";

function host({ locale = "en-US", pinned = 555 as number | null, token = "signed.pos.token" as string | null } = {}) {
  const shopify = {
    customer: { id: 8101 },
    session: {
      currentSession: { shopId: 1, userId: 42, shopDomain: "pos.myshopify.com", locationId: 71_234_567, currency: "USD", posVersion: "10.14.0" },
      staffMember: signal(pinned === null ? undefined : { id: pinned }),
      getSessionToken: vi.fn(async () => token),
    },
    locale: { current: signal(locale) },
    action: { presentModal: vi.fn() },
    toast: { show: vi.fn() },
    i18n: {
      translate: translator(locale),
      formatCurrency: (amount: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, { ...options, style: "currency" }).format(amount),
      formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...options }).format(date),
    },
  };
  (globalThis as { shopify?: unknown }).shopify = shopify;
  return shopify;
}

afterEach(() => {
  delete (globalThis as { shopify?: unknown }).shopify;
});

describe("what the targets read from POS", () => {
  it("sends the session's location and the staff member pinned in, or none when nobody is pinned in", () => {
    expect(counterOf(host())).toEqual({ locationId: 71_234_567, staffMemberId: 555 });
    expect(counterOf(host({ pinned: null }))).toEqual({ locationId: 71_234_567, staffMemberId: null });
  });

  it("asks POS for a fresh session token each time and calls the app by relative URL", async () => {
    const shopify = host();
    const backend = backendOf(shopify);
    expect(backend.baseUrl).toBe("");
    expect(await backend.token()).toBe("signed.pos.token");
    expect(await backend.token()).toBe("signed.pos.token");
    expect(shopify.session.getSessionToken).toHaveBeenCalledTimes(2);
    expect(await backendOf(host({ token: null })).token()).toBeUndefined();
  });

  it("speaks the POS language and formats the shop's calendar days as those days", () => {
    const words = wordsOf(host({ locale: "zh-CN" }));
    expect(words.language).toBe("zh-CN");
    expect(words.format.day("2026-12-09")).toBe("2026年12月9日");
    expect(wordsOf(host({ locale: "en-GB" })).language).toBe("en");
  });
});

describe("first render", () => {
  it("shows the block loading until the app answers", () => {
    host();
    expect(shopperText(render(<CustomerBlockTarget />))).toBe("MemberCare Loading the customer's membership…");
  });

  it("puts 'Customer file' in the customer's action menu", () => {
    host({ locale: "zh-CN" });
    expect(render(<CustomerMenuItemTarget />)).toBe("<s-button>客户档案</s-button>");
  });

  it("shows the tile without a count until the app answers", () => {
    host();
    expect(render(<HomeTileTarget />)).toBe('<s-tile heading="Follow-ups" tone="auto"></s-tile>');
  });
});

describe("the file modal", () => {
  const view = { file: { values: { ...EMPTY_FILE, clothingSize: "M" } }, choices: { preferredChannel: ["email", "sms", "phone", "none"], preferredContactTime: ["morning", "afternoon", "evening", "any"], outcomes: [] } } as unknown as PosCustomerView;

  it("opens on the customer's file, ready to fill", () => {
    const shopify = host();
    const html = render(
      <FileModal customerId={8101} backend={backendOf(shopify)} counter={counterOf(shopify)} words={wordsOf(shopify)} toast={() => undefined} close={() => undefined} initial={{ kind: "ok", value: view }} />,
    );
    expect(html).toMatch(/^<s-page heading="Customer file"><s-scroll-box>/);
    expect(html).toContain('label="Clothing size" value="M"');
    expect(shopperText(html)).toMatch(/Save file$/);
  });

  it("tells staff when their POS account may not use the app", () => {
    const shopify = host();
    const html = render(<FileModal customerId={8101} backend={backendOf(shopify)} counter={counterOf(shopify)} words={wordsOf(shopify)} toast={() => undefined} close={() => undefined} initial={{ kind: "noPermission" }} />);
    expect(shopperText(html)).toBe("Customer file This POS account may not use MemberCare. Ask the store owner to give it the app permission.");
  });
});
