// Campaign audiences from the map and the customer file (issues 20 and 21), on
// the real database: a generated set of customers, each given a place, tags,
// consent and (most of them) a file through the same paths the app uses
// (customers/create projected from a webhook body; the file saved as staff
// save it). Every expected count is worked out here from the generated
// definitions (which customer lives where, which keywords each preference
// text holds), never by asking the audience query; the choices the editor
// offers are held to the same definitions.
import db from "~/db.server";
import { validateAudience, type AudienceFilter } from "~/domain/campaigns/audience";
import { parseCustomerFileForm } from "~/domain/customer-file";
import { audienceChoices } from "~/models/audience-choices.server";
import { audiencePage, countAudience } from "~/models/campaign-audience.server";
import { saveCustomerFile } from "~/models/customer-file.server";
import { projectInboxEvent } from "~/services/projectors.server";
import { customerPayload } from "./support/payloads";
import { installTestShop } from "./support/shops";

const shop = "audience-map.myshopify.com";
const other = "audience-map-other.myshopify.com";
const NOW = new Date("2026-11-01T00:00:00Z");
const STAFF = { id: "77", name: "Lin" };

// Places as their addresses give them: the same city spelt with other case or
// spacing; codes that mean other things elsewhere ("CA" is California and
// Canada, "NL" Newfoundland and the Netherlands); a country without provinces.
const PLACES = [
  { countryCode: "US", provinceCode: "CA", province: "California", city: "San Francisco" },
  { countryCode: "US", provinceCode: "CA", province: "California", city: "san francisco " },
  { countryCode: "US", provinceCode: "NY", province: "New York", city: "New York" },
  { countryCode: "CA", provinceCode: "ON", province: "Ontario", city: "Toronto" },
  { countryCode: "CA", provinceCode: "NL", province: "Newfoundland and Labrador", city: "St. John's" },
  { countryCode: "NL", provinceCode: null, province: null, city: "Amsterdam" },
  { countryCode: "CN", provinceCode: "HL", province: "Heilongjiang", city: "Harbin" },
  { countryCode: "CN", provinceCode: "GD", province: "Guangdong", city: "广州" },
] as const;

// Preference texts and the keywords each one holds (written by hand, so the
// expectation does not come from the matching code's idea of "contains").
const STYLES = [
  { text: "Classic WOOL coats, navy", has: ["wool", "navy", "coat"] },
  { text: "linen shirts for summer", has: ["linen", "summer", "shirt"] },
  { text: "羊毛大衣，深色", has: ["羊毛", "大衣"] },
  { text: "Streetwear; oversized hoodies", has: ["streetwear", "hoodie"] },
  { text: "100% cotton only", has: ["cotton", "100%"] },
] as const;
const PRODUCTS = [
  { text: "Down jackets and thermal gloves", has: ["down", "jacket", "thermal", "glove"] },
  { text: "green tea, oolong", has: ["tea", "oolong"] },
  { text: "running shoes", has: ["running", "shoe"] },
  { text: "保暖内衣", has: ["保暖"] },
] as const;
const CLOTHING = ["S", "M", "L", "XL", "m"] as const; // "m" and "M" are one size
const SHOES = ["38", "40", "42", "EU 44"] as const;
const FILE_TAGS = [[], ["VIP"], ["vip", "knitwear"], ["gift wrap"], ["knitwear"]] as const;
const SHOP_TAGS = ["", "vip", "VIP, newsletter", "newsletter", "wholesale, vip"] as const;

interface Generated {
  id: string;
  place: (typeof PLACES)[number];
  emailSubscribed: boolean;
  tags: string;
  file: null | { clothing: string; shoe: string; style: (typeof STYLES)[number]; product: (typeof PRODUCTS)[number]; fileTags: readonly string[]; promotions: boolean | null };
}

// A small deterministic generator (the set is the same every run; no Math.random).
function* numbers(seed: number) {
  let state = seed;
  for (;;) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield Math.floor(state / 65_536); // the high bits: the low ones of this generator cycle quickly
  }
}

function generate(count: number): Generated[] {
  const next = numbers(2026);
  const pick = <T>(items: readonly T[]): T => items[next.next().value! % items.length];
  return Array.from({ length: count }, (_, i) => ({
    id: String(5_000 + i),
    place: pick(PLACES),
    emailSubscribed: pick([true, true, true, false]),
    tags: pick(SHOP_TAGS),
    file: pick([true, true, true, false])
      ? { clothing: pick(CLOTHING), shoe: pick(SHOES), style: pick(STYLES), product: pick(PRODUCTS), fileTags: pick(FILE_TAGS), promotions: pick([true, false, null]) }
      : null,
  }));
}

const customers = generate(160);
const deleted = customers[0];

const audience = (input: Record<string, unknown>): AudienceFilter => {
  const result = validateAudience(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.audience;
};

async function createCustomer(domain: string, customer: Generated) {
  const { place } = customer;
  const body = customerPayload({
    id: customer.id,
    email: `c${customer.id}@example.com`,
    address: { city: place.city, provinceCode: place.provinceCode, province: place.province, countryCode: place.countryCode },
    emailMarketing: customer.emailSubscribed ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
  });
  body.tags = customer.tags;
  await projectInboxEvent({ shop: domain, topic: "customers/create", body: JSON.stringify(body) }, NOW);
  if (customer.file) {
    const { file } = customer;
    const form = parseCustomerFileForm({
      clothingSize: file.clothing,
      shoeSize: file.shoe,
      stylePreferences: file.style.text,
      productPreferences: file.product.text,
      tags: file.fileTags.join(","),
      acceptsPromotions: file.promotions === null ? "" : file.promotions ? "yes" : "no",
    });
    if (!form.ok) throw new Error(JSON.stringify(form));
    await saveCustomerFile(domain, customer.id, form.form, STAFF, NOW);
  }
}

beforeAll(async () => {
  await installTestShop(shop, {}, NOW);
  await installTestShop(other, {}, NOW);
  for (const customer of customers) await createCustomer(shop, customer);
  // Another shop's customers in the same places and with the same files must never count.
  for (const customer of customers.slice(0, 20)) await createCustomer(other, customer);
  // A deleted customer keeps its row as a tombstone: never in an audience nor among the choices.
  await db.customer.update({ where: { shop_shopifyId: { shop, shopifyId: deleted.id } }, data: { deletedAt: NOW } });
}, 120_000);

const living = () => customers.filter((customer) => customer !== deleted);
const count = (filter: AudienceFilter) => countAudience(shop, filter, "email", NOW);
const lower = (text: string) => text.toLowerCase();

it("counts a province audience exactly: the places chosen, by country and province together, email-reachable", async () => {
  const chosen = [
    { countryCode: "US", provinceCode: "CA" },
    { countryCode: "CN", provinceCode: "HL" },
  ];
  const expected = living().filter((c) => c.emailSubscribed && chosen.some((p) => p.countryCode === c.place.countryCode && p.provinceCode === c.place.provinceCode));
  expect(expected.length).toBeGreaterThan(10);
  expect(await count(audience({ provinces: chosen }))).toBe(expected.length);
  // Paging gives exactly those customers.
  const page = await audiencePage(shop, audience({ provinces: chosen }), "email", NOW, null, 1_000);
  expect(page.map((row) => row.shopifyId).sort()).toEqual(expected.map((c) => c.id).sort());
  // "CA" alone is a country (Canada), not California.
  const canada = living().filter((c) => c.emailSubscribed && c.place.countryCode === "CA");
  expect(await count(audience({ countries: ["CA"] }))).toBe(canada.length);
});

it("counts a city audience the way addresses spell it, case and spacing aside", async () => {
  const expected = living().filter((c) => c.emailSubscribed && c.place.countryCode === "US" && lower(c.place.city.trim()) === "san francisco");
  expect(expected.some((c) => c.place.city !== "San Francisco")).toBe(true);
  expect(await count(audience({ cities: [{ countryCode: "US", city: "San Francisco" }] }))).toBe(expected.length);
  const guangzhou = living().filter((c) => c.emailSubscribed && c.place.city === "广州");
  expect(await count(audience({ cities: [{ countryCode: "CN", city: "广州" }] }))).toBe(guangzhou.length);
});

it("counts a file-preference audience exactly: sizes, keywords, file tags and promotions combined", async () => {
  const withFile = living().filter((c) => c.file && c.emailSubscribed);
  const wool = withFile.filter((c) => c.file!.style.has.some((word) => word === "wool" || word === "羊毛"));
  expect(wool.length).toBeGreaterThan(5);
  expect(await count(audience({ styleKeywords: ["Wool", "羊毛"] }))).toBe(wool.length);

  const warm = withFile.filter((c) => c.file!.product.has.some((word) => ["thermal", "保暖"].includes(word)) && ["m", "l"].includes(lower(c.file!.clothing)) && c.file!.promotions === true);
  expect(warm.length).toBeGreaterThan(0);
  expect(await count(audience({ productKeywords: ["THERMAL", "保暖"], clothingSizes: ["M", "L"], acceptsPromotions: true }))).toBe(warm.length);

  const knitwear = withFile.filter((c) => c.file!.fileTags.some((tag) => lower(tag) === "knitwear"));
  expect(await count(audience({ fileTags: ["knitwear"] }))).toBe(knitwear.length);
  // A file tag matches whole: "knit" is not "knitwear".
  expect(await count(audience({ fileTags: ["knit"] }))).toBe(0);

  const saidNo = withFile.filter((c) => c.file!.promotions === false);
  expect(await count(audience({ acceptsPromotions: false }))).toBe(saidNo.length);

  // % in a keyword is the character, not a wildcard.
  const cotton = withFile.filter((c) => (c.file!.style.has as readonly string[]).includes("100%"));
  expect(await count(audience({ styleKeywords: ["100%"] }))).toBe(cotton.length);
  expect(await count(audience({ styleKeywords: ["1%0"] }))).toBe(0);

  // The map and the file together: shoe size 40 in Ontario.
  const ontario40 = withFile.filter((c) => c.file!.shoe === "40" && c.place.provinceCode === "ON");
  expect(await count(audience({ provinces: [{ countryCode: "CA", provinceCode: "ON" }], shoeSizes: ["40"] }))).toBe(ontario40.length);
});

it("offers as choices the places, tags and file values the shop's living customers have, with their counts", async () => {
  const choices = await audienceChoices(shop);
  const people = living();
  expect(new Set(people.map((c) => c.place)).size).toBe(PLACES.length); // the set has every kind of place
  const tally = (keys: string[]) => keys.reduce((map, key) => map.set(key, (map.get(key) ?? 0) + 1), new Map<string, number>());

  const countries = tally(people.map((c) => c.place.countryCode));
  expect(Object.fromEntries(choices.countries.map((choice) => [choice.countryCode, choice.count]))).toEqual(Object.fromEntries(countries));

  const provinces = tally(people.filter((c) => c.place.provinceCode).map((c) => `${c.place.countryCode}-${c.place.provinceCode}`));
  expect(Object.fromEntries(choices.provinces.map((choice) => [`${choice.countryCode}-${choice.provinceCode}`, choice.count]))).toEqual(Object.fromEntries(provinces));
  // Named as the addresses name them.
  expect(choices.provinces.find((choice) => choice.countryCode === "CA" && choice.provinceCode === "NL")?.name).toBe("Newfoundland and Labrador");
  expect(choices.provinces.find((choice) => choice.countryCode === "CN" && choice.provinceCode === "HL")?.name).toBe("Heilongjiang");

  // One San Francisco, however its addresses spell it.
  const cities = tally(people.map((c) => `${c.place.countryCode}:${lower(c.place.city.trim())}`));
  expect(Object.fromEntries(choices.cities.map((choice) => [`${choice.countryCode}:${lower(choice.city)}`, choice.count]))).toEqual(Object.fromEntries(cities));

  const shopTags = tally(people.flatMap((c) => [...new Set(c.tags.split(",").map((tag) => lower(tag.trim())).filter(Boolean))]));
  expect(Object.fromEntries(choices.tags.map((choice) => [lower(choice.value), choice.count]))).toEqual(Object.fromEntries(shopTags));

  const files = people.filter((c) => c.file);
  expect(Object.fromEntries(choices.clothingSizes.map((choice) => [lower(choice.value), choice.count]))).toEqual(Object.fromEntries(tally(files.map((c) => lower(c.file!.clothing)))));
  expect(Object.fromEntries(choices.shoeSizes.map((choice) => [choice.value, choice.count]))).toEqual(Object.fromEntries(tally(files.map((c) => c.file!.shoe))));
  const fileTags = tally(files.flatMap((c) => [...new Set(c.file!.fileTags.map(lower))]));
  expect(Object.fromEntries(choices.fileTags.map((choice) => [lower(choice.value), choice.count]))).toEqual(Object.fromEntries(fileTags));
});

it("takes products as the resource picker gives them and refuses what it cannot use, naming the field", () => {
  expect(audience({ boughtProducts: ["gid://shopify/Product/8001", "8002"] }).boughtProducts).toEqual(["8001", "8002"]);
  expect(validateAudience({ boughtProducts: ["gid://shopify/Collection/1"] })).toMatchObject({ ok: false, errors: { boughtProducts: "campaigns.errors.audience.boughtProducts" } });
  expect(validateAudience({ provinces: [{ countryCode: "Canada", provinceCode: "ON" }] })).toMatchObject({ ok: false, errors: { provinces: "campaigns.errors.audience.provinces" } });
  expect(validateAudience({ cities: [{ countryCode: "US", city: "" }] })).toMatchObject({ ok: false, errors: { cities: "campaigns.errors.audience.cities" } });
  expect(validateAudience({ acceptsPromotions: "yes" })).toMatchObject({ ok: false, errors: { acceptsPromotions: "campaigns.errors.audience.acceptsPromotions" } });
});
