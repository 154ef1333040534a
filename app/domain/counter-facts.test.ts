import { counterFacts } from "./counter-facts";
import { EMPTY_FILE, type CustomerFileValues } from "./customer-file";

const file = (values: Partial<CustomerFileValues>): CustomerFileValues => ({ ...EMPTY_FILE, ...values });

describe("counterFacts", () => {
  it("puts a birthday in the next two weeks first, then no promotions, then sizes, and stops at three", () => {
    const values = file({ birthday: "12-12", acceptsPromotions: false, clothingSize: "M", shoeSize: "38", stylePreferences: "linen", preferredChannel: "sms" });
    expect(counterFacts(values, "2026-12-07")).toEqual([{ kind: "birthdaySoon", days: 5 }, { kind: "noPromotions" }, { kind: "sizes", clothing: "M", shoe: "38" }]);
  });

  it("counts a birthday across the new year and leaves out one that is weeks away", () => {
    expect(counterFacts(file({ birthday: "1990-01-03" }), "2026-12-28")[0]).toEqual({ kind: "birthdaySoon", days: 6 });
    expect(counterFacts(file({ birthday: "03-14" }), "2026-12-07").map((fact) => fact.kind)).not.toContain("birthdaySoon");
  });

  it("says it is their birthday today (0 days)", () => {
    expect(counterFacts(file({ birthday: "12-07" }), "2026-12-07")[0]).toEqual({ kind: "birthdaySoon", days: 0 });
  });

  it("suggests asking for the most useful missing field when the file says little", () => {
    expect(counterFacts(EMPTY_FILE, "2026-12-07")).toEqual([{ kind: "askFor", field: "preferredChannel" }]);
    expect(counterFacts(file({ preferredChannel: "email", preferredContactTime: "evening" }), "2026-12-07")).toEqual([
      { kind: "contact", channel: "email", time: "evening" },
      { kind: "askFor", field: "stylePreferences" },
    ]);
  });

  it("treats 'accepts promotions: yes' as nothing to warn about", () => {
    expect(counterFacts(file({ acceptsPromotions: true, productPreferences: "green tea" }), "2026-12-07")).toEqual([
      { kind: "preferences", style: null, products: "green tea" },
      { kind: "askFor", field: "preferredChannel" },
    ]);
  });
});
