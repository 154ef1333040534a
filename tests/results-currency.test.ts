// Results in the shop's own currency: a yen shop's ¥5,000 order is "5000" in
// the CSV, not "50.00", and a Kuwaiti shop's amounts keep their three decimals.
// Orders arrive as order bodies through the projector, in the shop's currency;
// the expected cells are written out by hand from the amounts the orders carry.
import db from "~/db.server";
import { CSV_COLUMNS, summariesCsv } from "~/domain/results/report";
import { projectInboxEvent } from "~/services/projectors.server";
import { saveShopSettings } from "~/models/shops.server";
import { saveCampaign, scheduleCampaign } from "~/services/campaigns.server";
import { resultsOverview } from "~/services/results.server";
import { orderPayload } from "./support/payloads";

const NOW = new Date("2026-11-20T08:00:00Z");
const SEND = new Date("2026-12-01T10:00:00Z");
const AFTER = new Date("2026-12-20T00:00:00Z");
const HOUR = 3_600_000;

/** A shop in `currency` whose campaign's first two contacted members order `amounts` inside the window. */
async function csvRow(shop: string, currency: string, amounts: [string, string]) {
  await saveShopSettings(shop, { name: shop, ianaTimezone: "UTC", currencyCode: currency, primaryLocale: "en", scopes: null }, NOW);
  await db.customer.createMany({ data: Array.from({ length: 40 }, (_, i) => ({ shop, shopifyId: String(910_000 + i), email: `c${i}@example.com`, emailConsentState: "SUBSCRIBED" })) });
  const saved = await saveCampaign(shop, null, { name: `Sale ${currency}`, channel: "email", content: { en: { subject: "Hi", body: "News" } }, audience: {}, sendOn: "2026-12-01", sendHour: 10, holdoutPercent: 20 }, null, NOW);
  if (!saved.ok) throw new Error("not saved");
  await scheduleCampaign(shop, saved.id, NOW);
  await db.message.updateMany({ where: { shop, sourceId: saved.id, holdout: false }, data: { status: "sent", sentAt: SEND } });
  const contacted = await db.message.findMany({ where: { shop, sourceId: saved.id, holdout: false }, orderBy: { customerShopifyId: "asc" }, take: 2 });
  for (const [i, message] of contacted.entries()) {
    const createdAt = new Date(+SEND + (i + 1) * HOUR).toISOString();
    const body = orderPayload({ id: String(7_700 + i), customerId: message.customerShopifyId, subtotal: amounts[i], currency, createdAt });
    await projectInboxEvent({ shop, topic: "orders/create", body: JSON.stringify(body) }, AFTER);
  }
  const [header, line] = summariesCsv(await resultsOverview(shop, AFTER)).trimEnd().split("\r\n");
  expect(header.split(",")).toEqual([...CSV_COLUMNS]);
  const values = line.split(",");
  return (column: (typeof CSV_COLUMNS)[number]) => values[CSV_COLUMNS.indexOf(column)];
}

it("writes a yen shop's amounts in whole yen", async () => {
  const cell = await csvRow("results-jpy.myshopify.com", "JPY", ["5000", "1200"]);
  expect(cell("currency")).toBe("JPY");
  expect(cell("orders_contacted")).toBe("2");
  expect(cell("attributed_revenue_not_incremental")).toBe("6200");
});

it("writes a Kuwaiti dinar shop's amounts with three decimals", async () => {
  const cell = await csvRow("results-kwd.myshopify.com", "KWD", ["12.345", "0.500"]);
  expect(cell("currency")).toBe("KWD");
  expect(cell("orders_contacted")).toBe("2");
  expect(cell("attributed_revenue_not_incremental")).toBe("12.845");
});
