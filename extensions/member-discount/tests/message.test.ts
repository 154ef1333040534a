// The line the shopper reads beside the member discount, in the checkout's language.
import { freeShippingMessage, memberLabel, percentOffMessage, percentOffText, shopperLanguage } from "../src/message";

const gold = { en: "Gold", "zh-CN": "金卡" };

describe("shopperLanguage", () => {
  it.each([
    ["EN", "en"],
    ["FR", "en"],
    ["JA", "en"],
    ["ZH_CN", "zh-CN"],
    ["ZH", "zh-CN"],
    ["ZH_TW", "zh-CN"],
    [null, "en"],
  ])("a %s checkout reads %s", (isoCode, language) => {
    expect(shopperLanguage(isoCode)).toBe(language);
  });
});

describe("percentOffText", () => {
  // The percentage the merchant set, in both languages (ADR 0027): never 折.
  it.each([
    [10, "10% off", "优惠 10%"],
    [15, "15% off", "优惠 15%"],
    [5, "5% off", "优惠 5%"],
    [12.5, "12.5% off", "优惠 12.5%"],
    [33.3333, "33.33% off", "优惠 33.33%"],
    [95, "95% off", "优惠 95%"],
    [100, "100% off", "优惠 100%"],
  ])("%s%% reads %s / %s", (percent, en, zh) => {
    expect(percentOffText(percent, "en")).toBe(en);
    expect(percentOffText(percent, "zh-CN")).toBe(zh);
  });
});

describe("memberLabel", () => {
  it.each([
    [gold, "Gold member", "金卡会员"],
    [{ en: "Member", "zh-CN": "会员" }, "Member", "会员"],
    [{ en: "VIP Member", "zh-CN": "VIP会员" }, "VIP Member", "VIP会员"],
    [{ en: " Silver ", "zh-CN": "银卡" }, "Silver member", "银卡会员"],
    [{ en: "Platinum", "zh-CN": "" }, "Platinum member", "Platinum会员"],
    [{ en: "", "zh-CN": "" }, "Member", "会员"],
  ])("%j reads %s / %s", (name, en, zh) => {
    expect(memberLabel(name, "en")).toBe(en);
    expect(memberLabel(name, "zh-CN")).toBe(zh);
  });
});

describe("messages", () => {
  it("name the tier and what it gives", () => {
    expect(percentOffMessage(gold, 10, "en")).toBe("Gold member · 10% off");
    expect(percentOffMessage(gold, 10, "zh-CN")).toBe("金卡会员 · 优惠 10%");
    expect(freeShippingMessage(gold, "en")).toBe("Gold member · free shipping");
    expect(freeShippingMessage(gold, "zh-CN")).toBe("金卡会员 · 免运费");
  });
});
