import { describe, expect, it } from "vitest";
import { parseShopDomain } from "./shop-domain";

describe("parseShopDomain", () => {
  it("takes a shop's myshopify domain, lower-cased", () => {
    expect(parseShopDomain("tea-house.myshopify.com")).toBe("tea-house.myshopify.com");
    expect(parseShopDomain("Tea-House.MyShopify.com")).toBe("tea-house.myshopify.com");
    expect(parseShopDomain("7shop.myshopify.com")).toBe("7shop.myshopify.com");
  });

  it("refuses what is no shop domain", () => {
    for (const bad of [
      "evil.example.com",
      "../../etc",
      "../../etc.myshopify.com",
      "tea-house.myshopify.com.evil.example.com",
      "tea-house.myshopify.com/admin",
      "https://tea-house.myshopify.com",
      "-tea.myshopify.com",
      "tea_house.myshopify.com",
      "a.b.myshopify.com",
      ".myshopify.com",
      "myshopify.com",
      "tea-house.myshopify.io",
      "admin.shopify.com/store/tea-house",
      "tea-house.myshopify.com\n",
      "",
      `${"a".repeat(300)}.myshopify.com`,
    ]) {
      expect(parseShopDomain(bad), bad).toBeNull();
    }
    expect(parseShopDomain(null)).toBeNull();
    expect(parseShopDomain(undefined)).toBeNull();
  });

  it("takes subdomains of the operator's custom shop domain, and only those", () => {
    expect(parseShopDomain("tea.my.shop.dev", ["my.shop.dev"])).toBe("tea.my.shop.dev");
    expect(parseShopDomain("tea.myXshopXdev", ["my.shop.dev"])).toBeNull();
    expect(parseShopDomain("tea.my.shop.dev")).toBeNull();
  });
});
