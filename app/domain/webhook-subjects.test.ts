// Whom a raw webhook body names, read from Shopify's own samples and a
// development-store capture (tests/fixtures/webhooks), with the ids as they are
// written in those files.
import fs from "node:fs";
import path from "node:path";
import { parseShopifyJson } from "./shopify-json";
import { isAbout, webhookSubjects } from "./webhook-subjects";

const body = (name: string) => parseShopifyJson(fs.readFileSync(path.resolve("tests/fixtures/webhooks", `${name}.json`), "utf8"));

it.each([
  ["orders/create", "orders__create-3", { customerShopifyId: "31257143804137", orderShopifyIds: ["18922194698473"] }],
  ["refunds/create", "refunds__create", { customerShopifyId: null, orderShopifyIds: ["820982911946154500"] }],
  ["fulfillments/create", "fulfillments__create", { customerShopifyId: null, orderShopifyIds: ["820982911946154500"] }],
  ["fulfillment_events/create", "fulfillment_events__create", { customerShopifyId: null, orderShopifyIds: ["820982911946154500"] }],
  ["customers/create", "customers__create", { customerShopifyId: "706405506930370000", orderShopifyIds: [] }],
  ["customers_email_marketing_consent/update", "customers_email_marketing_consent__update", { customerShopifyId: "706405506930370000", orderShopifyIds: [] }],
  ["customers_marketing_consent/update", "customers_marketing_consent__update", { customerShopifyId: "706405506930370000", orderShopifyIds: [] }],
  ["customers/redact", "customers__redact", { customerShopifyId: "191167", orderShopifyIds: ["299938", "280263", "220458"] }],
  ["customers/data_request", "customers__data_request", { customerShopifyId: "191167", orderShopifyIds: ["299938", "280263", "220458"] }],
  ["shop/redact", "shop__redact", { customerShopifyId: null, orderShopifyIds: [] }],
  ["app/uninstalled", "app__uninstalled", { customerShopifyId: null, orderShopifyIds: [] }],
])("%s names whom its body is about", (topic, file, expected) => {
  expect(webhookSubjects(topic, body(file))).toEqual(expected);
});

it("reads orders/edited's order from the edit, and names nobody in a body it cannot read", () => {
  expect(webhookSubjects("orders/edited", { order_edit: { id: 9, order_id: "820982911946154508" } })).toEqual({ customerShopifyId: null, orderShopifyIds: ["820982911946154508"] });
  expect(webhookSubjects("orders/create", "not an object")).toEqual({ customerShopifyId: null, orderShopifyIds: [] });
  expect(webhookSubjects("orders/create", { id: -1, customer: null })).toEqual({ customerShopifyId: null, orderShopifyIds: [] });
});

it("says a body is about the customer or one of their orders, and not about anyone else", () => {
  const refund = webhookSubjects("refunds/create", body("refunds__create"));
  expect(isAbout(refund, "1", new Set(["820982911946154500"]))).toBe(true);
  expect(isAbout(refund, "1", new Set(["820982911946154501"]))).toBe(false);
  expect(isAbout(webhookSubjects("customers/create", body("customers__create")), "706405506930370000", new Set())).toBe(true);
});
