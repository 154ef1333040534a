// Care flows pages (issue 8) through the built app with a real session
// token, en and zh-CN: the list with each flow's state, class, channel and
// holdout; the editor saving a flow (attributed, wording equal to the default
// not kept as the merchant's own) and refusing bad input with 422 field errors
// and nothing saved; the journey preview for the shop's most recent buyer
// with each step's local time and rendered content; an unknown flow is a 404.
import db from "~/db.server";
import { getFlowSettings, saveFlowSettings } from "~/models/care-flows.server";
import { saveShopSettings } from "~/models/shops.server";
import { FLOW_CATALOG } from "~/domain/care/flows";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";
import { ledgerColumns } from "./support/ledger";

const shop = "flow-pages.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
const T0 = new Date("2026-05-20T00:00:00Z");
let app: TestApp;

beforeAll(async () => {
  await installShop(shop);
  await saveShopSettings(shop, { name: "Tea House", ianaTimezone: "Asia/Shanghai", currencyCode: "CNY", primaryLocale: "en", scopes: null }, T0);
  await db.customer.create({ data: { shop, shopifyId: "42", firstName: "Mei", lastName: "Wang", locale: "zh-CN", timeZone: "Asia/Shanghai", lastOrderAt: T0, orderCount: 1 } });
  await db.order.create({
    data: {
      shop,
      shopifyId: "o42",
      customerShopifyId: "42",
      name: "#1042",
      shopifyCreatedAt: T0,
      processedAt: T0,
      shopifyUpdatedAt: T0,
      currencyCode: "CNY",
      subtotalMinor: 9_900,
      totalMinor: 9_900,
      totalDiscountsMinor: 0,
      lines: { create: [{ shop, shopifyId: "l42", title: "Jasmine pearls", quantity: 1, unitPriceMinor: 9_900 }] },
      ...ledgerColumns({ subtotalMinor: 9_900 }),
    },
  });
  await saveFlowSettings(shop, "tierUpgrade", { enabled: true, channel: "sms" }, "staff-0", T0);
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

const query = (locale = "en-US") => new URLSearchParams({ embedded: "1", shop, host: Buffer.from("admin.shopify.com/store/flow-pages").toString("base64url"), locale });
const page = async (path: string, locale = "en-US") => {
  const response = await fetch(`${app.url}${path}?${query(locale)}&id_token=${sessionToken(shop)}`, { headers: { "User-Agent": BROWSER } });
  return { status: response.status, html: await response.text() };
};
const post = (flow: string, config: unknown) =>
  fetch(`${app.url}/app/flows/${flow}?${query()}&_data=${encodeURIComponent("routes/app.flows.$flow")}`, {
    method: "POST",
    body: new URLSearchParams({ config: typeof config === "string" ? config : JSON.stringify(config) }),
    headers: { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER },
  });

it("lists every flow with its state, class shown plainly, channel and holdout, in both languages", async () => {
  const english = await page("/app/flows");
  expect(english.status).toBe(200);
  for (const text of ["After delivery", "Win-back", "Transactional", "Marketing", "Email", "SMS", "10%", "0%", "Sent without marketing consent"]) expect(english.html).toContain(text);
  // Membership flows say what each channel needs for them (ADR 0011): email without marketing consent, SMS only with SMS consent.
  const consentOf = (html: string, flow: string) => new RegExp(`data-consent="${flow}"><span[^>]*>([^<]*)<`).exec(html)?.[1];
  for (const flow of ["tierUpgrade", "downgradeWarning"]) {
    expect(consentOf(english.html, flow)).toBe("Email: every member with an address, no marketing consent needed (they can opt out). SMS: only with SMS consent.");
  }
  expect(consentOf(english.html, "shipmentNotice")).toBe("Sent without marketing consent");
  // tierUpgrade is on (saved above) and the shipment notice by default; the rest are off.
  expect(english.html.match(/>On</g)).toHaveLength(2);
  expect(english.html.match(/>Off</g)).toHaveLength(5);
  const chinese = await page("/app/flows", "zh-CN");
  for (const text of ["关怀流程", "交易类", "营销类", "已开启", "已关闭", "会员通知"]) expect(chinese.html).toContain(text);
  expect(consentOf(chinese.html, "downgradeWarning")).toBe("邮件：发送给每位留有邮箱的会员，无需营销同意（可随时退订）。短信：仅限已同意接收短信的会员。");
});

it("shows a merchant who requires consent for membership emails that stricter choice", async () => {
  await saveFlowSettings(shop, "downgradeWarning", { enabled: true, allowWithoutConsent: false }, "staff-0", T0);
  try {
    const list = await page("/app/flows");
    expect(list.html).toContain('data-consent="downgradeWarning"><span class="Polaris-Text--root Polaris-Text--bodySm Polaris-Text--subdued">Email and SMS: only with marketing consent on the channel (stricter than the law requires).<');
    const editor = await page("/app/flows/downgradeWarning");
    expect(editor.html).toContain("Send membership emails without marketing consent");
    expect(editor.html).toContain("Email and SMS: only with marketing consent on the channel");
    // The preview shows the warning as sent: with the link that stops membership emails, not the marketing one.
    // (Mei, the sample customer, reads Chinese.)
    expect(editor.html).toContain("如不想再收到会员资格相关邮件，请使用此链接：https://flow-pages.myshopify.com/unsubscribe");
    expect(editor.html).not.toContain("如不想再收到此类邮件");
  } finally {
    await saveFlowSettings(shop, "downgradeWarning", {}, "staff-0", T0);
  }
});

it("previews the journey for the most recent buyer: each step on their clock, rendered in their language", async () => {
  const editor = await page("/app/flows/postDelivery");
  expect(editor.status).toBe(200);
  expect(editor.html).toContain("flow-timeline");
  expect(editor.html).toContain("Mei Wang (Asia/Shanghai)");
  for (const step of ["Delivery check", "Usage and care tips", "Review request", "Experience check", "Day 1", "Day 21"]) expect(editor.html).toContain(step);
  // Mei reads Chinese: the default zh-CN wording with her order's product.
  expect(editor.html).toContain("您觉得 Jasmine pearls 怎么样？");
  expect(editor.html).toContain("10:00");
  const chinese = await page("/app/flows/postDelivery", "zh-CN");
  expect(chinese.html).toContain("第 21 天");
  expect(chinese.html).toContain("旅程预览");
});

it("saves a flow, attributed, keeping only wording that differs from the default", async () => {
  const response = await post("postDelivery", {
    enabled: true,
    channel: "email",
    holdoutPercent: 20,
    allowWithoutConsent: false,
    steps: { usageTips: { enabled: false, delayDays: 5 } },
    templates: { deliveryCheck: { en: { subject: "Arrived, {{firstName}}?", body: "Tell us.", sms: "Arrived?" }, "zh-CN": FLOW_CATALOG.postDelivery.templates.deliveryCheck!["zh-CN"] } },
  });
  expect(response.status).toBe(200);
  const { config } = (await getFlowSettings(shop)).postDelivery;
  expect(config).toMatchObject({ enabled: true, holdoutPercent: 20, allowWithoutConsent: false, steps: { usageTips: { enabled: false, delayDays: 5 }, deliveryCheck: { enabled: true, delayDays: 1 } } });
  expect(config.templates).toEqual({ deliveryCheck: { en: { subject: "Arrived, {{firstName}}?", body: "Tell us.", sms: "Arrived?" } } });
  expect((await db.careFlow.findUniqueOrThrow({ where: { shop_flow: { shop, flow: "postDelivery" } } })).updatedBy).not.toBeNull();
  const editor = await page("/app/flows/postDelivery");
  expect(editor.html).toContain("Arrived, {{firstName}}?");
});

it("keeps usage tips by product, a blank language meaning the other one's, and previews the matching tip", async () => {
  const blank = { subject: "", body: " ", sms: "" };
  const response = await post("postDelivery", {
    enabled: true,
    tips: [{ match: "jasmine", templates: { en: { subject: "Brewing your {{productTitle}}", body: "80°C, two minutes.", sms: "80°C." }, "zh-CN": blank } }],
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect((await getFlowSettings(shop)).postDelivery.config.tips).toEqual([{ match: "jasmine", templates: { en: { subject: "Brewing your {{productTitle}}", body: "80°C, two minutes.", sms: "80°C." } } }]);
  // Mei reads Chinese; the tip has only English, so she would get the English tip for her jasmine pearls.
  const editor = await page("/app/flows/postDelivery");
  expect(editor.html).toContain("Brewing your Jasmine pearls");
  const repeated = await post("postDelivery", { tips: [{ match: "tea", templates: { en: blank } }] });
  expect(repeated.status).toBe(422);
  expect(((await repeated.json()) as { errors: Record<string, { key: string }> }).errors["tips.0.templates"]?.key).toBe("care.flows.errors.tipContent");
});

it("refuses bad input with 422 field errors and saves nothing", async () => {
  const before = await db.careFlow.findUnique({ where: { shop_flow: { shop, flow: "winBack" } } });
  const bad = await post("winBack", { enabled: true, holdoutPercent: 80, allowWithoutConsent: true, steps: { dormant: { delayDays: 99 } }, templates: { atRisk: { en: { subject: "Hi {{nickname}}", body: "x", sms: "y" } } } });
  expect(bad.status).toBe(422);
  const { errors } = (await bad.json()) as { errors: Record<string, { key: string }> };
  expect(Object.fromEntries(Object.entries(errors).map(([path, error]) => [path, error.key]))).toEqual({
    holdoutPercent: "care.flows.errors.holdoutRange",
    "steps.dormant.delayDays": "care.flows.errors.delayRange",
  });
  const second = await post("winBack", { enabled: true, allowWithoutConsent: true, templates: { atRisk: { en: { subject: "Hi {{nickname}}", body: "x", sms: "y" } } } });
  expect(second.status).toBe(422);
  expect(Object.keys(((await second.json()) as { errors: object }).errors).sort()).toEqual(["allowWithoutConsent", "templates.atRisk.en.subject"]);
  expect((await post("winBack", "{not json")).status).toBe(422);
  expect(await db.careFlow.findUnique({ where: { shop_flow: { shop, flow: "winBack" } } })).toEqual(before);
});

it("answers 404 for a flow that does not exist", async () => {
  expect((await page("/app/flows/spam")).status).toBe(404);
  expect((await post("spam", {})).status).toBe(404);
});
