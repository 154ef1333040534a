import { describe, expect, it } from "vitest";
import { seededRandom } from "../../tools/simulator/store-generator";
import { chooseGift, type Gift, type GiftGiven } from "./gift-rotation";

const DAY = 86_400_000;
const gift = (id: string, tierHandles: string[] = [], active = true): Gift => ({ id, name: `Gift ${id}`, active, tierHandles });
const LIST = [gift("tote"), gift("candle"), gift("sample-set"), gift("gold-pin", ["gold"])];
const START = new Date("2026-01-01T00:00:00Z");

describe("gift rotation", () => {
  it("gives a first-time member the first gift on the list", () => {
    expect(chooseGift(LIST, [], { now: START, tierHandle: "silver" })).toEqual({ gift: LIST[0] });
  });

  it("never repeats a gift inside the no-repeat period, over a long run of random orders", () => {
    const random = seededRandom(4);
    const history: GiftGiven[] = [];
    let now = +START;
    for (let order = 0; order < 400; order++) {
      now += (1 + random() * 60) * DAY;
      const choice = chooseGift(LIST, history, { now: new Date(now), noRepeatDays: 90, tierHandle: random() < 0.5 ? "gold" : "silver" });
      if (!choice.gift) continue;
      const previous = history.at(-1);
      expect(choice.gift.id).not.toBe(previous?.giftId);
      for (const past of history) if (past.giftId === choice.gift.id) expect(now - +past.givenAt).toBeGreaterThanOrEqual(90 * DAY);
      history.push({ giftId: choice.gift.id, givenAt: new Date(now) });
    }
    expect(history.length).toBeGreaterThan(100);
  });

  it("never gives the same gift twice in a row, even past the period", () => {
    const history = [{ giftId: "tote", givenAt: START }];
    const oneOnly = [gift("tote")];
    expect(chooseGift(oneOnly, history, { now: new Date(+START + 1000 * DAY), tierHandle: null })).toEqual({ gift: null, reason: "allGivenRecently" });
  });

  it("picks the gift the member has gone longest without", () => {
    const history = [
      { giftId: "candle", givenAt: new Date(+START - 400 * DAY) },
      { giftId: "tote", givenAt: new Date(+START - 300 * DAY) },
      { giftId: "sample-set", givenAt: new Date(+START - 200 * DAY) },
    ];
    expect(chooseGift(LIST, history, { now: START, noRepeatDays: 100, tierHandle: "silver" })).toEqual({ gift: gift("candle") });
  });

  it("keeps tier gifts to their tier and skips inactive ones", () => {
    const onlyGold = [gift("gold-pin", ["gold"]), gift("old", [], false)];
    expect(chooseGift(onlyGold, [], { now: START, tierHandle: "silver" })).toEqual({ gift: null, reason: "noneForTier" });
    expect(chooseGift(onlyGold, [], { now: START, tierHandle: "gold" })).toEqual({ gift: onlyGold[0] });
    expect(chooseGift([gift("old", [], false)], [], { now: START, tierHandle: "gold" })).toEqual({ gift: null, reason: "noGifts" });
  });
});
