import en from "./en.json";
import zhCN from "./zh-CN.json";
import { formatMoney, matchLocale, translate } from "./index";
import { resolveLocale } from "./locale.server";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogs", () => {
  it("have the same keys in English and Simplified Chinese", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it("use the same placeholders in both languages, and Chinese text where English has words", () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
    expect(zhCN["overview.failed.reason"]).toBe("原因");
  });
});

describe("translate", () => {
  it("fills placeholders", () => {
    expect(translate("en", "overview.members.count", { count: 3 })).toBe("3 members");
    expect(translate("zh-CN", "overview.members.count", { count: 3 })).toBe("3 位会员");
  });
});

describe("locales", () => {
  it.each([
    ["zh-CN", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["zh", "zh-CN"],
    ["en-US", "en"],
    ["fr", null],
  ])("%s → %s", (tag, expected) => {
    expect(matchLocale(tag)).toBe(expected);
  });

  it("takes Shopify admin's locale parameter first, then the cookie it set, then the browser's languages", async () => {
    const fromAdmin = await resolveLocale(new Request("https://app.test/app?locale=zh-CN"));
    expect(fromAdmin.locale).toBe("zh-CN");
    const cookie = fromAdmin.setCookie!.split(";")[0];
    expect((await resolveLocale(new Request("https://app.test/app/other", { headers: { Cookie: cookie } }))).locale).toBe("zh-CN");
    expect((await resolveLocale(new Request("https://app.test/app", { headers: { "Accept-Language": "fr-FR, zh-CN;q=0.8" } }))).locale).toBe("zh-CN");
    expect((await resolveLocale(new Request("https://app.test/app"))).locale).toBe("en");
  });
});

describe("money", () => {
  it("formats minor units with the currency's own digits", () => {
    expect(formatMoney(123456, "USD", "en")).toBe("$1,234.56");
    expect(formatMoney(1234, "JPY", "en")).toBe("¥1,234");
    expect(formatMoney(123456, "CNY", "zh-CN")).toBe("¥1,234.56");
  });
});
