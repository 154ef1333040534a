import { describe, expect, it } from "vitest";
import { isHeldOut } from "~/domain/results/holdout";
import {
  submittedFlowConfig,
  chooseTip,
  defaultFlowConfig,
  FLOW_CATALOG,
  flowClasses,
  journeySteps,
  planBirthday,
  planDowngradeWarning,
  planPostDelivery,
  planReplenishment,
  planTierUpgrade,
  planWinBack,
  readFlowConfig,
  stepContent,
  stepTime,
  validateFlowConfig,
  type FlowConfig,
  type PlanContext,
} from "./flows";
import { templateProblems } from "./templates";
import { CARE_FLOWS, FLOW_STEPS, type CareFlowKey } from "./types";

const DAY = 86_400_000;
const shop = "flows.myshopify.com";
// 2 March 2026 06:00 UTC = 14:00 in Shanghai.
const delivered = new Date("2026-03-02T06:00:00Z");

const on = (flow: CareFlowKey, patch: Partial<FlowConfig> = {}): FlowConfig => ({ ...defaultFlowConfig(flow), enabled: true, holdoutPercent: 0, ...patch });
const context = (flow: CareFlowKey, patch: Partial<PlanContext> = {}, config: Partial<FlowConfig> = {}): PlanContext => ({
  shop,
  now: delivered,
  config: on(flow, config),
  customerShopifyId: "c1",
  timeZone: "Asia/Shanghai",
  variables: { firstName: "Li" },
  ...patch,
});

describe("the catalog", () => {
  it("has exactly the shared vocabulary's steps, default templates in both languages without problems, and holdout 0 where comparison makes no sense", () => {
    for (const flow of CARE_FLOWS) {
      const def = FLOW_CATALOG[flow];
      expect(def.steps.map((s) => s.step)).toEqual([...FLOW_STEPS[flow]]);
      for (const s of def.steps) {
        expect(s.delay.min <= s.delay.default && s.delay.default <= s.delay.max, `${flow}.${s.step}`).toBe(true);
        for (const locale of ["en", "zh-CN"] as const) {
          const content = def.templates[s.step]?.[locale];
          expect(content, `${flow}.${s.step}.${locale}`).toBeTruthy();
          expect(templateProblems(content!), `${flow}.${s.step}.${locale}`).toEqual([]);
        }
      }
      expect(def.holdoutPercent).toBe(flow === "shipmentNotice" || flow === "downgradeWarning" ? 0 : 10);
    }
    expect(FLOW_CATALOG.postDelivery.templates.experienceCheck!.en.body).toContain("Not satisfied");
  });

  it("shows post-delivery as transactional with a marketing review request, and win-back as marketing only", () => {
    expect(flowClasses("postDelivery")).toEqual(["transactional", "marketing"]);
    expect(flowClasses("winBack")).toEqual(["marketing"]);
  });
});

describe("flow config", () => {
  it("fills defaults: off, the catalog's delays and channel", () => {
    const result = validateFlowConfig("postDelivery", {});
    expect(result).toEqual({ ok: true, config: defaultFlowConfig("postDelivery") });
    expect(defaultFlowConfig("postDelivery").steps.usageTips).toEqual({ enabled: true, delayDays: 4 });
  });

  it.each([
    ["a delay outside its step's bounds", "postDelivery", { steps: { reviewRequest: { delayDays: 9 } } }, "steps.reviewRequest.delayDays", "care.flows.errors.delayRange", { min: 10, max: 14 }],
    ["a holdout above 50%", "winBack", { holdoutPercent: 60 }, "holdoutPercent", "care.flows.errors.holdoutRange", { max: 50 }],
    ["a marketing flow without consent", "winBack", { allowWithoutConsent: true }, "allowWithoutConsent", "care.flows.errors.marketingNeedsConsent", undefined],
    ["an unknown channel", "birthday", { channel: "fax" }, "channel", "care.flows.errors.invalid", undefined],
    ["a template with an unknown variable", "birthday", { templates: { greeting: { en: { subject: "Hi {{nickname}}", body: "x", sms: "y" } } } }, "templates.greeting.en.subject", "care.template.problem.unknownVariable", { variable: "nickname" }],
    ["a template with an empty part", "birthday", { templates: { greeting: { "zh-CN": { subject: "生日快乐", body: " ", sms: "y" } } } }, "templates.greeting.zh-CN.body", "care.flows.errors.templateRequired", undefined],
  ])("refuses %s with a field error", (_name, flow, input, path, key, vars) => {
    const result = validateFlowConfig(flow as CareFlowKey, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[path]).toEqual(vars ? { key, vars } : { key });
  });

  it("starts every flow off but the shipment notice, which the care settings' notifyCustomer already governs", () => {
    expect(CARE_FLOWS.filter((flow) => validateFlowConfig(flow, {}).ok && (validateFlowConfig(flow, {}) as { config: FlowConfig }).config.enabled)).toEqual(["shipmentNotice"]);
    expect(readFlowConfig("shipmentNotice", true, { holdoutPercent: 99 }).config.enabled).toBe(false);
  });

  it("allows a transactional flow to go without consent, and reads an unreadable stored config as the defaults, off", () => {
    expect(validateFlowConfig("tierUpgrade", { allowWithoutConsent: true }).ok).toBe(true);
    expect(readFlowConfig("postDelivery", true, { holdoutPercent: 99 })).toEqual({ config: defaultFlowConfig("postDelivery"), invalid: true });
    expect(readFlowConfig("postDelivery", true, { holdoutPercent: 5 }).config).toMatchObject({ enabled: true, holdoutPercent: 5 });
  });

  it("takes the merchant's wording in the customer's language, else the catalog's, else English", () => {
    const own = { subject: "Danke", body: "b", sms: "s" };
    const config = on("birthday", { templates: { greeting: { en: own } } });
    expect(stepContent("birthday", config, "greeting", "en")).toEqual(own);
    expect(stepContent("birthday", config, "greeting", "zh-CN")).toEqual(FLOW_CATALOG.birthday.templates.greeting!["zh-CN"]);
  });
});

describe("usage tips by product", () => {
  const tea = { subject: "Brewing your {{productTitle}}", body: "85°C, three minutes.", sms: "85°C, 3 min." };
  const kettle = { subject: "Descale your kettle", body: "Monthly, with citric acid.", sms: "Descale monthly." };
  const config = on("postDelivery", { tips: [{ match: "Tea", templates: { en: tea } }, { match: "kettle", templates: { "zh-CN": { ...kettle, subject: "水壶除垢" } } }] });

  it("picks the first tip whose words appear in a line's title, vendor or SKU, ignoring case", () => {
    expect(chooseTip(config, ["Iron kettle", null, "K-1"])).toBe("kettle");
    expect(chooseTip(config, ["Oolong", "Mountain TEA Co", null])).toBe("Tea");
    expect(chooseTip(config, ["Tea kettle"])).toBe("Tea");
    expect(chooseTip(config, ["Cup"])).toBeNull();
  });

  it("sends the tip's wording (its other language when it has none in this one), else the step's", () => {
    expect(stepContent("postDelivery", config, "usageTips", "zh-CN", "tea")).toEqual(tea);
    expect(stepContent("postDelivery", config, "usageTips", "en", "kettle")?.subject).toBe("水壶除垢");
    expect(stepContent("postDelivery", config, "usageTips", "en", "removed since")).toEqual(FLOW_CATALOG.postDelivery.templates.usageTips!.en);
    expect(stepContent("postDelivery", config, "reviewRequest", "en", "tea")).toEqual(FLOW_CATALOG.postDelivery.templates.reviewRequest!.en);
  });

  it("marks only the usage tips step with the tip it was planned with", () => {
    const rows = planPostDelivery(context("postDelivery", {}, config), { fulfillmentShopifyId: "f1", orderShopifyId: "o1", deliveredAt: delivered, tipMatch: "Tea" });
    expect(rows.map((row) => row.variables.usageTip ?? null)).toEqual([null, "Tea", null, null]);
  });

  it("refuses tips without words, without any wording, repeated, or on another flow", () => {
    const result = validateFlowConfig("postDelivery", { tips: [{ match: " ", templates: { en: tea } }, { match: "tea", templates: {} }, { match: "TEA", templates: { en: tea } }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors["tips.0.match"]?.key).toBe("care.flows.errors.tipMatch");
    const second = validateFlowConfig("postDelivery", { tips: [{ match: "tea", templates: {} }, { match: "TEA", templates: { en: tea } }] });
    expect(second.ok ? null : second.errors).toEqual({ "tips.0.templates": { key: "care.flows.errors.tipContent" }, "tips.1.match": { key: "care.flows.errors.tipDuplicate" } });
    expect(validateFlowConfig("winBack", { tips: [{ match: "tea", templates: { en: tea } }] }).ok).toBe(false);
    const emptyBody = validateFlowConfig("postDelivery", { tips: [{ match: "tea", templates: { en: { ...tea, body: "" } } }] });
    expect(emptyBody.ok ? null : emptyBody.errors).toEqual({ "tips.0.templates.en.body": { key: "care.flows.errors.templateRequired" } });
  });
});

describe("planning", () => {
  it("plans the post-delivery steps at 10:00 local on their days, each valid for the flow's window, with deterministic keys", () => {
    const rows = planPostDelivery(context("postDelivery"), { fulfillmentShopifyId: "f1", orderShopifyId: "o1", deliveredAt: delivered });
    expect(rows.map((row) => [row.idempotencyKey, row.plannedAt.toISOString(), row.messageClass])).toEqual([
      ["flow:postDelivery:f1:deliveryCheck", "2026-03-03T02:00:00.000Z", "transactional"],
      ["flow:postDelivery:f1:usageTips", "2026-03-06T02:00:00.000Z", "transactional"],
      ["flow:postDelivery:f1:reviewRequest", "2026-03-14T02:00:00.000Z", "marketing"],
      ["flow:postDelivery:f1:experienceCheck", "2026-03-23T02:00:00.000Z", "transactional"],
    ]);
    for (const row of rows) {
      expect(row.expiresAt.getTime() - row.plannedAt.getTime()).toBe(3 * DAY);
      expect(row).toMatchObject({ orderShopifyId: "o1", fulfillmentShopifyId: "f1", channel: "email", source: "flow", sourceId: "postDelivery", holdout: false });
    }
    expect(planPostDelivery(context("postDelivery"), { fulfillmentShopifyId: "f1", orderShopifyId: "o1", deliveredAt: delivered })).toEqual(rows);
  });

  it("follows the merchant's delays, switched-off steps and channel; a disabled flow plans nothing", () => {
    const config = { channel: "sms" as const, steps: { deliveryCheck: { enabled: false, delayDays: 1 }, usageTips: { enabled: true, delayDays: 7 }, reviewRequest: { enabled: true, delayDays: 10 }, experienceCheck: { enabled: true, delayDays: 21 } } };
    const rows = planPostDelivery(context("postDelivery", {}, config), { fulfillmentShopifyId: "f1", orderShopifyId: "o1", deliveredAt: delivered });
    expect(rows.map((row) => [row.step, row.plannedAt.toISOString(), row.channel])).toEqual([
      ["usageTips", "2026-03-09T02:00:00.000Z", "sms"],
      ["reviewRequest", "2026-03-12T02:00:00.000Z", "sms"],
      ["experienceCheck", "2026-03-23T02:00:00.000Z", "sms"],
    ]);
    expect(planPostDelivery(context("postDelivery", {}, { enabled: false }), { fulfillmentShopifyId: "f1", orderShopifyId: "o1", deliveredAt: delivered })).toEqual([]);
  });

  it("leaves out steps whose window already passed when the delivery is planned late", () => {
    const late = new Date(delivered.getTime() + 13 * DAY);
    const rows = planPostDelivery(context("postDelivery", { now: late }), { fulfillmentShopifyId: "f1", orderShopifyId: "o1", deliveredAt: delivered });
    expect(rows.map((row) => row.step)).toEqual(["reviewRequest", "experienceCheck"]);
  });

  it("draws the holdout per shop, flow and customer, for every step alike", () => {
    const customers = Array.from({ length: 400 }, (_, i) => `c${i}`);
    let held = 0;
    for (const id of customers) {
      const rows = planPostDelivery(context("postDelivery", { customerShopifyId: id }, { holdoutPercent: 20 }), { fulfillmentShopifyId: `f-${id}`, orderShopifyId: "o", deliveredAt: delivered });
      expect(new Set(rows.map((row) => row.holdout)).size).toBe(1);
      expect(rows[0]!.holdout).toBe(isHeldOut(shop, "flow:postDelivery", id, 20));
      if (rows[0]!.holdout) held++;
    }
    expect(held).toBeGreaterThan(40);
    expect(held).toBeLessThan(120);
  });

  it("goes at the trigger itself for zero-delay news: tier upgrade, downgrade warning", () => {
    const [upgrade] = planTierUpgrade(context("tierUpgrade"), { eventId: 7, at: delivered });
    expect(upgrade).toMatchObject({ idempotencyKey: "flow:tierUpgrade:7:congratulations", plannedAt: delivered, priority: 30, messageClass: "transactional" });
    const [warning] = planDowngradeWarning(context("downgradeWarning"), { eventId: 8, at: delivered });
    expect(warning).toMatchObject({ idempotencyKey: "flow:downgradeWarning:8:warning", plannedAt: delivered, holdout: false });
  });

  it("reminds at the reminder point (a day before with delay -1), once per last order", () => {
    const reminderAt = new Date("2026-03-10T15:00:00Z"); // 23:00 in Shanghai, 10 March
    const [row] = planReplenishment(context("replenishment", {}, { steps: { reminder: { enabled: true, delayDays: -1 } } }), { reminderAt, lastOrderShopifyId: "o9" });
    expect(row).toMatchObject({ idempotencyKey: "flow:replenishment:c1:o9:reminder", plannedAt: new Date("2026-03-09T02:00:00Z"), messageClass: "marketing" });
  });

  it("escalates the win-back offer from at-risk to dormant and by tier rank", () => {
    const offer = (stage: "atRisk" | "dormant", tierRank: number) =>
      planWinBack(context("winBack"), { stage, since: delivered, lastOrderShopifyId: "o1", tierRank })[0]!;
    expect(offer("atRisk", 0)).toMatchObject({ step: "atRisk", idempotencyKey: "flow:winBack:c1:o1:atRisk", variables: { firstName: "Li", discountPercent: 10 } });
    expect(offer("dormant", 0).variables.discountPercent).toBe(15);
    expect(offer("dormant", 2).variables.discountPercent).toBe(25);
    expect(offer("atRisk", 0).idempotencyKey).not.toBe(offer("dormant", 0).idempotencyKey);
  });

  it("greets on the local birthday at 10:00, once a year", () => {
    const [row] = planBirthday(context("birthday", { timeZone: "America/Los_Angeles", now: new Date("2026-05-01T00:00:00Z") }), { localDate: "2026-05-04" });
    expect(row).toMatchObject({ idempotencyKey: "flow:birthday:c1:2026:greeting", plannedAt: new Date("2026-05-04T17:00:00Z") });
  });

  it("counts day steps in local days from the trigger, and lists the journey in order of delay", () => {
    expect(stepTime(new Date("2026-03-02T15:00:00Z"), 1, "Asia/Shanghai").toISOString()).toBe("2026-03-03T02:00:00.000Z");
    expect(journeySteps("postDelivery", defaultFlowConfig("postDelivery")).map((s) => [s.step, s.delayDays])).toEqual([
      ["deliveryCheck", 1],
      ["usageTips", 4],
      ["reviewRequest", 12],
      ["experienceCheck", 21],
    ]);
  });
});

describe("submittedFlowConfig", () => {
  it("drops wording equal to the catalog's and a tip's blank language, keeping the merchant's own", () => {
    const catalog = FLOW_CATALOG.postDelivery.templates.deliveryCheck!.en;
    const own = { subject: "Did it arrive?", body: "Tell us.", sms: "Arrived?" };
    const blank = { subject: " ", body: "", sms: "" };
    const submitted = submittedFlowConfig("postDelivery", {
      enabled: true,
      templates: { deliveryCheck: { en: catalog, "zh-CN": own } },
      tips: [{ match: "tea", templates: { en: own, "zh-CN": blank } }],
    });
    expect(submitted).toEqual({ enabled: true, templates: { deliveryCheck: { "zh-CN": own } }, tips: [{ match: "tea", templates: { en: own } }] });
  });
});
