import { describe, expect, it } from "vitest";
import { birthdayMonth, dueGifts, giftServes, parseGiftForm, parseStringList } from "./gifts";

const shop = { currencyCode: "USD", tierHandles: ["member", "gold"] };

describe("parseGiftForm", () => {
  it("reads a gift with its cost in minor units", () => {
    expect(parseGiftForm({ name: " Tote bag ", sku: "TOTE-1", kinds: ["entry", "birthday"], tierHandles: ["gold"], cost: "4,50" }, shop)).toEqual({
      ok: true,
      gift: { name: "Tote bag", sku: "TOTE-1", kinds: ["entry", "birthday"], tierHandles: ["gold"], costMinor: 450, active: true },
    });
  });

  it("names every bad field", () => {
    const result = parseGiftForm({ name: "  ", sku: "x".repeat(101), kinds: ["loyalty"], tierHandles: ["diamond"], cost: "-1" }, shop);
    expect(result).toEqual({
      ok: false,
      errors: {
        name: { key: "gifts.errors.nameRequired" },
        sku: { key: "gifts.errors.skuTooLong" },
        kinds: { key: "gifts.errors.kind" },
        tierHandles: { key: "gifts.errors.tier" },
        cost: { key: "gifts.errors.cost" },
      },
    });
    expect(parseGiftForm({ name: "Pen", cost: "abc" }, shop)).toEqual({ ok: false, errors: { cost: { key: "gifts.errors.cost" } } });
  });
});

describe("giftServes", () => {
  it("keeps a gift to what it is for; staff may use any", () => {
    expect(giftServes([], "birthday")).toBe(true);
    expect(giftServes(["entry"], "birthday")).toBe(false);
    expect(giftServes(["entry"], "staff")).toBe(true);
  });
});

it("reads stored lists, anything unreadable as empty", () => {
  expect(parseStringList('["a",1,"b"]')).toEqual(["a", "b"]);
  expect(parseStringList("{")).toEqual([]);
});

describe("dueGifts", () => {
  const base = {
    orderAt: new Date("2026-05-31T20:00:00Z"),
    timeZone: "Asia/Shanghai",
    tierHandle: "gold",
    pendingGiftRewards: [],
    lastUpgrade: null,
    birthday: null,
    orderNumber: 4,
    surpriseEveryOrders: 0,
  };

  it("is nothing for an ordinary order", () => {
    expect(dueGifts(base)).toEqual([]);
  });

  it("lists staff gifts first, then the entry gift of a recent upgrade, the birthday and the surprise", () => {
    const due = dueGifts({
      ...base,
      pendingGiftRewards: [{ id: "r1", giftId: "g9" }],
      lastUpgrade: { id: 7, toHandle: "gold", at: new Date("2026-05-31T20:05:00Z") },
      // 1 June in Shanghai already: the order is in their birthday month.
      birthday: "1990-06-12",
      surpriseEveryOrders: 2,
    });
    expect(due.map((thing) => [thing.reason, thing.dueKey, thing.tierHandle, thing.giftId])).toEqual([
      ["staff", "staff:r1", "gold", "g9"],
      ["entry", "entry:7", "gold", null],
      ["birthday", "birthday:2026", "gold", null],
      ["surprise", "surprise:4", "gold", null],
    ]);
  });

  it("leaves out an upgrade long past, a birthday in another month, an unreadable birthday", () => {
    expect(dueGifts({ ...base, lastUpgrade: { id: 1, toHandle: "gold", at: new Date("2026-01-01T00:00:00Z") } })).toEqual([]);
    expect(dueGifts({ ...base, birthday: "07-01" })).toEqual([]);
    expect(dueGifts({ ...base, birthday: "13-01" })).toEqual([]);
    expect(birthdayMonth("06-12")).toBe(6);
    expect(birthdayMonth("soon")).toBeNull();
  });
});
