import en from "./en.json";
import zhCN from "./zh-CN.json";
import { formatDateTime, formatMoney, formatNumber, localeForTag, resolveLocale, translate } from "./index";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogs", () => {
  it("have the same keys in English and Simplified Chinese", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it("use the same placeholders in both languages", () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("hold Chinese text wherever the English has words, not copies of it", () => {
    // Placeholders ({from}) are not words; a lone name (MemberCare) stays as it is.
    const words = (text: string) => text.replace(/\{\w+\}/g, "");
    const copied = (Object.keys(en) as Array<keyof typeof en>).filter((key) => /[a-z]{3,}/i.test(words(en[key])) && zhCN[key] === en[key] && !/^[\w.-]+$/.test(en[key]));
    expect(copied).toEqual([]);
    expect(zhCN["overview.failed.reason"]).toBe("原因");
  });
});

describe("translate", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "overview.members.netSpend", { amount: "$5.00" })).toBe("Net spend of all members: $5.00");
    expect(translate("zh-CN", "overview.members.count", { count: 3 })).toBe("3 位会员");
    expect(translate("en", "overview.members.count")).toBe("Members: {count}");
  });
});

describe("resolveLocale", () => {
  const request = (query: string, acceptLanguage?: string) =>
    new Request(`https://app.test/app${query}`, acceptLanguage ? { headers: { "Accept-Language": acceptLanguage } } : {});

  it.each([
    ["zh-CN", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["en-US", "en"],
    ["fr", "en"],
  ])("reads Shopify admin's locale=%s as %s", (tag, expected) => {
    expect(resolveLocale(request(`?locale=${tag}`))).toBe(expected);
  });

  it("lets Shopify admin's locale decide over the browser's languages", () => {
    expect(resolveLocale(request("?locale=fr", "zh-CN"))).toBe("en");
    expect(resolveLocale(request("?locale=zh-CN", "en-US"))).toBe("zh-CN");
  });

  it("falls back to the browser's most preferred supported language, then English", () => {
    expect(resolveLocale(request("", "fr-FR, zh-CN;q=0.8, en;q=0.5"))).toBe("zh-CN");
    expect(resolveLocale(request("", "en;q=0.4, zh-Hans;q=0.9"))).toBe("zh-CN");
    expect(resolveLocale(request("", "zh;q=0, en-GB;q=0.3"))).toBe("en");
    expect(resolveLocale(request("", "de-DE"))).toBe("en");
    expect(resolveLocale(request(""))).toBe("en");
    expect(resolveLocale(request("?locale="))).toBe("en");
  });

  it("maps tags case-insensitively", () => {
    expect(localeForTag(" ZH-hans ")).toBe("zh-CN");
    expect(localeForTag("EN")).toBe("en");
  });
});

describe("formatMoney", () => {
  it("formats minor units with the currency's own number of digits", () => {
    expect(formatMoney(123456, "USD", "en")).toBe("$1,234.56");
    expect(formatMoney(1234, "JPY", "en")).toBe("¥1,234");
    expect(formatMoney(1234567, "KWD", "en")).toBe("KWD\u00a01,234.567"); // Intl puts a no-break space after a code
    expect(formatMoney(123456, "CNY", "zh-CN")).toBe("¥1,234.56");
    expect(formatMoney(-500, "USD", "en")).toBe("-$5.00");
    expect(formatMoney(0, "EUR", "en")).toBe("€0.00");
  });
});

describe("formatNumber", () => {
  it("groups digits the reader's way", () => {
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
    expect(formatNumber(1234567, "zh-CN")).toBe("1,234,567");
  });
});

describe("formatDateTime", () => {
  const instant = new Date("2026-03-05T16:07:00Z");

  it("shows a UTC instant in the shop's time zone", () => {
    expect(formatDateTime(instant, "en", "America/New_York")).toBe("Mar 5, 2026, 11:07 AM");
    expect(formatDateTime(instant, "en", "Asia/Shanghai")).toBe("Mar 6, 2026, 12:07 AM");
  });

  it("writes Chinese dates in Chinese", () => {
    expect(formatDateTime(instant, "zh-CN", "Asia/Shanghai")).toBe("2026年3月6日 00:07");
  });

  it("accepts the ISO strings that loader data arrives as, and defaults to UTC", () => {
    expect(formatDateTime(instant.toISOString(), "en")).toBe("Mar 5, 2026, 4:07 PM");
  });
});
