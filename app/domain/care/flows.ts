/**
 * The care flow catalog (issue 8) and the pure planning rules: for each flow
 * its steps with default delays and their bounds, its message class,
 * priority, validity, default channel, holdout share and default templates in
 * en and zh-CN; the merchant's per-flow config (zod, field errors as i18n
 * keys, like ./settings.ts); and functions that turn one trigger into the
 * PlannedMessage rows the messages model inserts (idempotent by key).
 * Pure: no I/O, no clock reads; `now` comes in.
 *
 * Timing: a step `delayDays` after its trigger goes at SEND_HOUR (10:00) on
 * that local day in the customer's zone (the shop's when unknown), so a
 * "day 3" tip does not arrive at the minute of delivery three days on, which
 * may be night; quiet hours and caps are the dispatcher's (contact policy).
 * A step with delay 0 goes at the trigger itself (a tier upgrade, a
 * shipment notice: news is timely). Steps whose validity window has already
 * passed when planned (a late plan) are left out rather than sent stale.
 */
import { z } from "zod";
import type { MessageKey, MessageVars, Locale } from "~/i18n";
import { isHeldOut, MAX_HOLDOUT_PERCENT } from "~/domain/results/holdout";
import { localDate, zonedInstant } from "~/domain/local-time";
import { namesOffer } from "./offers";
import { templateProblems, type TemplateContent } from "./templates";
import { CARE_FLOWS, CHANNELS, type CareFlowKey, type Channel, type MessageClass } from "./types";

const DAY = 86_400_000;
/** Local hour day-offset steps are planned at. */
export const SEND_HOUR = 10;

export interface StepDefinition {
  step: string;
  /** Days after the trigger (negative: before it, e.g. a reminder ahead of the cadence point). */
  delay: { default: number; min: number; max: number };
  /** Overrides the flow's class (a review request is marketing inside a transactional flow). */
  messageClass?: MessageClass;
  /** Win-back's escalating offer: percent off at this step, before the tier bonus. */
  offerPercent?: number;
}

export interface FlowDefinition {
  flow: CareFlowKey;
  messageClass: MessageClass;
  /** Transactional flows may go without marketing consent by default; marketing never. */
  allowWithoutConsent: boolean;
  /**
   * About the customer's own membership (a tier change, a downgrade warning):
   * by email without marketing consent, by SMS only with SMS consent, and a
   * link to stop them in each (docs/decisions/0011-membership-messages.md).
   */
  membership?: boolean;
  /** Lower goes first when several of a customer's messages are due at once. */
  priority: number;
  validityDays: number;
  channel: Channel;
  holdoutPercent: number;
  /** On until the merchant says otherwise (most flows wait to be switched on). */
  enabledByDefault: boolean;
  /**
   * Sent inside the customer's usual active hours (learned from their order
   * times, issue 10) by default. Off for news that should not wait: a tier
   * upgrade, a shipment in trouble.
   */
  activeHours: boolean;
  steps: StepDefinition[];
  templates: Record<string, Record<Locale, TemplateContent>>;
}

const step = (name: string, def: number, min: number, max: number, extra: Partial<StepDefinition> = {}): StepDefinition => ({ step: name, delay: { default: def, min, max }, ...extra });

/** The catalog: defaults a shop starts from, and the bounds its config must keep. */
export const FLOW_CATALOG: Readonly<Record<CareFlowKey, FlowDefinition>> = {
  postDelivery: {
    flow: "postDelivery",
    messageClass: "transactional",
    allowWithoutConsent: true,
    priority: 40,
    validityDays: 3,
    channel: "email",
    holdoutPercent: 10,
    enabledByDefault: false,
    activeHours: true,
    steps: [
      step("deliveryCheck", 1, 0, 3),
      step("usageTips", 4, 3, 7),
      step("reviewRequest", 12, 10, 14, { messageClass: "marketing" }),
      step("experienceCheck", 21, 18, 30),
    ],
    templates: {
      deliveryCheck: {
        en: { subject: "Did your order {{orderName}} arrive safely?", body: "Hi {{firstName}},\n\nYour parcel with {{productTitles}} was delivered on {{deliveredOn}}. Did everything arrive in good condition? Just reply to this email if anything is wrong.\n\n{{shopName}}", sms: "{{shopName}}: your order {{orderName}} was delivered. All good? Reply if anything is wrong." },
        "zh-CN": { subject: "您的订单 {{orderName}} 安全送达了吗？", body: "{{firstName}}，您好：\n\n您购买的 {{productTitles}} 已于 {{deliveredOn}} 送达。商品是否完好？如有任何问题，直接回复此邮件即可。\n\n{{shopName}}", sms: "{{shopName}}：您的订单 {{orderName}} 已送达，一切还好吗？有问题请回复。" },
      },
      usageTips: {
        en: { subject: "Getting the most from your {{productTitle}}", body: "Hi {{firstName}},\n\nA few tips for your {{productTitle}}: keep it away from direct sunlight and moisture, and follow the care label. Questions? We are happy to help.\n\n{{shopName}}", sms: "{{shopName}}: tips for your {{productTitle}}: keep it dry and out of the sun. Questions? Reply here." },
        "zh-CN": { subject: "{{productTitle}} 使用与保养小贴士", body: "{{firstName}}，您好：\n\n关于 {{productTitle}} 的几点建议：避免阳光直射和潮湿，并按照标签说明保养。有任何疑问，欢迎随时联系我们。\n\n{{shopName}}", sms: "{{shopName}}：{{productTitle}} 保养小贴士：防潮、避免暴晒。有疑问请回复。" },
      },
      reviewRequest: {
        en: { subject: "How do you like your {{productTitle}}?", body: "Hi {{firstName}},\n\nYou have had your {{productTitle}} for a little while now. Would you share a short review? It helps other customers choose.\n\n{{reviewUrl}}\n\n{{shopName}}", sms: "{{shopName}}: how do you like your {{productTitle}}? Leave a review: {{reviewUrl}}" },
        "zh-CN": { subject: "您觉得 {{productTitle}} 怎么样？", body: "{{firstName}}，您好：\n\n{{productTitle}} 已经陪伴您一段时间了，愿意写一条简短的评价吗？这能帮助其他顾客做出选择。\n\n{{reviewUrl}}\n\n{{shopName}}", sms: "{{shopName}}：您觉得 {{productTitle}} 怎么样？欢迎评价：{{reviewUrl}}" },
      },
      experienceCheck: {
        en: { subject: "Happy with your {{productTitle}}?", body: "Hi {{firstName}},\n\nThree weeks on, we would like to know: are you happy with your {{productTitle}}? Not satisfied? Returns are free: {{returnUrl}}\n\n{{shopName}}", sms: "{{shopName}}: happy with your {{productTitle}}? Not satisfied? Free return: {{returnUrl}}" },
        "zh-CN": { subject: "您对 {{productTitle}} 满意吗？", body: "{{firstName}}，您好：\n\n三周过去了，想了解一下：您对 {{productTitle}} 满意吗？不满意？可免费退货：{{returnUrl}}\n\n{{shopName}}", sms: "{{shopName}}：您对 {{productTitle}} 满意吗？不满意可免费退货：{{returnUrl}}" },
      },
    },
  },
  replenishment: {
    flow: "replenishment",
    messageClass: "marketing",
    allowWithoutConsent: false,
    priority: 60,
    validityDays: 5,
    channel: "email",
    holdoutPercent: 10,
    enabledByDefault: false,
    activeHours: true,
    steps: [step("reminder", 0, -7, 7)],
    templates: {
      reminder: {
        en: { subject: "Time to restock your {{productTitle}}?", body: "Hi {{firstName}},\n\nBy our count your {{productTitle}} may be running low. Order again in a few clicks:\n\n{{reorderUrl}}\n\n{{shopName}}", sms: "{{shopName}}: running low on {{productTitle}}? Reorder: {{reorderUrl}}" },
        "zh-CN": { subject: "{{productTitle}} 该补货了吗？", body: "{{firstName}}，您好：\n\n按照您的使用节奏，{{productTitle}} 可能快用完了。点击即可再次下单：\n\n{{reorderUrl}}\n\n{{shopName}}", sms: "{{shopName}}：{{productTitle}} 快用完了吗？再次购买：{{reorderUrl}}" },
      },
    },
  },
  winBack: {
    flow: "winBack",
    messageClass: "marketing",
    allowWithoutConsent: false,
    priority: 70,
    validityDays: 7,
    channel: "email",
    holdoutPercent: 10,
    enabledByDefault: false,
    activeHours: true,
    steps: [step("atRisk", 0, 0, 14, { offerPercent: 10 }), step("dormant", 0, 0, 14, { offerPercent: 15 })],
    templates: {
      atRisk: {
        en: { subject: "We miss you, {{firstName}}", body: "Hi {{firstName}},\n\nIt has been a while. As a {{tierName}} member, enjoy {{discountPercent}}% off your next order with your own code {{offerCode}} (one use, valid until {{offerExpiresOn}}).\n\n{{shopUrl}}\n\n{{shopName}}", sms: "{{shopName}}: we miss you! {{discountPercent}}% off your next order with code {{offerCode}} until {{offerExpiresOn}}: {{shopUrl}}" },
        "zh-CN": { subject: "{{firstName}}，好久不见", body: "{{firstName}}，您好：\n\n好久没见到您了。作为{{tierName}}会员，下一单可享优惠 {{discountPercent}}%，您的专属折扣码 {{offerCode}}（限用一次，有效期至 {{offerExpiresOn}}）。\n\n{{shopUrl}}\n\n{{shopName}}", sms: "{{shopName}}：好久不见！下一单享优惠 {{discountPercent}}%，折扣码 {{offerCode}}，有效期至 {{offerExpiresOn}}：{{shopUrl}}" },
      },
      dormant: {
        en: { subject: "A special offer to welcome you back", body: "Hi {{firstName}},\n\nWe would love to see you again. Here is {{discountPercent}}% off, just for you as a {{tierName}} member: use code {{offerCode}} at checkout (one use, valid until {{offerExpiresOn}}).\n\n{{shopUrl}}\n\n{{shopName}}", sms: "{{shopName}}: welcome back offer, {{discountPercent}}% off with code {{offerCode}} until {{offerExpiresOn}}: {{shopUrl}}" },
        "zh-CN": { subject: "专属回归礼遇", body: "{{firstName}}，您好：\n\n期待与您再次相见。作为{{tierName}}会员，特为您准备优惠 {{discountPercent}}%：结账时使用折扣码 {{offerCode}}（限用一次，有效期至 {{offerExpiresOn}}）。\n\n{{shopUrl}}\n\n{{shopName}}", sms: "{{shopName}}：回归礼遇，享优惠 {{discountPercent}}%，折扣码 {{offerCode}}，有效期至 {{offerExpiresOn}}：{{shopUrl}}" },
      },
    },
  },
  tierUpgrade: {
    flow: "tierUpgrade",
    messageClass: "transactional",
    allowWithoutConsent: true,
    membership: true,
    priority: 30,
    validityDays: 7,
    channel: "email",
    holdoutPercent: 10,
    enabledByDefault: false,
    activeHours: false,
    steps: [step("congratulations", 0, 0, 3)],
    templates: {
      congratulations: {
        en: { subject: "Welcome to {{tierName}}, {{firstName}}!", body: "Hi {{firstName}},\n\nCongratulations: you are now a {{tierName}} member. Your perks: {{perks}}.\n\nYour welcome gift: {{tierGift}}\n\n{{shopName}}", sms: "{{shopName}}: congratulations, you are now {{tierName}}! Perks: {{perks}}" },
        "zh-CN": { subject: "{{firstName}}，欢迎升级为{{tierName}}！", body: "{{firstName}}，您好：\n\n恭喜您成为{{tierName}}会员。您的权益：{{perks}}。\n\n升级礼：{{tierGift}}\n\n{{shopName}}", sms: "{{shopName}}：恭喜升级为{{tierName}}！权益：{{perks}}" },
      },
    },
  },
  downgradeWarning: {
    flow: "downgradeWarning",
    messageClass: "transactional",
    allowWithoutConsent: true,
    membership: true,
    priority: 20,
    validityDays: 7,
    channel: "email",
    holdoutPercent: 0,
    enabledByDefault: false,
    activeHours: true,
    steps: [step("warning", 0, 0, 7)],
    templates: {
      warning: {
        en: { subject: "Keep your {{tierName}} status", body: "Hi {{firstName}},\n\nYour {{tierName}} membership is due for review on {{downgradeOn}}. Spend {{amountToKeepTier}} more before then to keep it and its perks.\n\n{{shopUrl}}\n\n{{shopName}}", sms: "{{shopName}}: spend {{amountToKeepTier}} before {{downgradeOn}} to keep {{tierName}}." },
        "zh-CN": { subject: "保持您的{{tierName}}会员等级", body: "{{firstName}}，您好：\n\n您的{{tierName}}会员资格将于 {{downgradeOn}} 重新评定。在此之前再消费 {{amountToKeepTier}} 即可保级并继续享受权益。\n\n{{shopUrl}}\n\n{{shopName}}", sms: "{{shopName}}：{{downgradeOn}} 前再消费 {{amountToKeepTier}} 即可保持{{tierName}}。" },
      },
    },
  },
  birthday: {
    flow: "birthday",
    messageClass: "marketing",
    allowWithoutConsent: false,
    priority: 50,
    validityDays: 2,
    channel: "email",
    holdoutPercent: 10,
    enabledByDefault: false,
    activeHours: true,
    steps: [step("greeting", 0, -7, 0)],
    templates: {
      greeting: {
        en: { subject: "Happy birthday, {{firstName}}!", body: "Hi {{firstName}},\n\nHappy birthday from all of us at {{shopName}}! As a {{tierName}} member, your birthday gift: {{birthdayGift}}.\n\n{{shopUrl}}", sms: "{{shopName}}: happy birthday, {{firstName}}! Your gift: {{birthdayGift}}" },
        "zh-CN": { subject: "{{firstName}}，生日快乐！", body: "{{firstName}}，您好：\n\n{{shopName}} 全体同仁祝您生日快乐！作为{{tierName}}会员，您的生日礼：{{birthdayGift}}。\n\n{{shopUrl}}", sms: "{{shopName}}：{{firstName}}，生日快乐！您的生日礼：{{birthdayGift}}" },
      },
    },
  },
  shipmentNotice: {
    flow: "shipmentNotice",
    messageClass: "transactional",
    allowWithoutConsent: true,
    priority: 10,
    validityDays: 2,
    channel: "email",
    holdoutPercent: 0,
    enabledByDefault: true,
    activeHours: false,
    steps: [step("onIt", 0, 0, 2)],
    templates: {
      onIt: {
        en: { subject: "About your order {{orderName}}: we are on it", body: "Hi {{firstName}},\n\nYour parcel from order {{orderName}} ({{carrier}} {{trackingNumber}}) is taking longer than it should. We are already in touch with the carrier and will keep you posted.\n\n{{trackingUrl}}\n\n{{shopName}}", sms: "{{shopName}}: your order {{orderName}} is delayed. We are on it with {{carrier}}." },
        "zh-CN": { subject: "关于您的订单 {{orderName}}：我们正在处理", body: "{{firstName}}，您好：\n\n您订单 {{orderName}} 的包裹（{{carrier}} {{trackingNumber}}）配送时间比预期长。我们已与承运商联系，会及时告知您进展。\n\n{{trackingUrl}}\n\n{{shopName}}", sms: "{{shopName}}：您的订单 {{orderName}} 配送延误，我们正在与{{carrier}}跟进。" },
      },
    },
  },
};

// ------------------------------------------------------------------ config

export interface StepConfig {
  enabled: boolean;
  delayDays: number;
}

/**
 * Usage and care tips for one kind of product: chosen at planning for a
 * delivery whose order has a line whose title, vendor or SKU contains `match`
 * (case-insensitive; the first tip that matches wins). The order's lines are
 * what we store of a product; its type and tags are not projected, so a
 * merchant matches on the words their titles carry ("tea", "kettle").
 */
export interface UsageTip {
  match: string;
  templates: Partial<Record<Locale, TemplateContent>>;
}
/** Tips per flow: a handful of product kinds, each with its own wording. */
export const MAX_TIPS = 10;

export interface FlowConfig {
  enabled: boolean;
  channel: Channel;
  steps: Record<string, StepConfig>;
  /** Per step and locale: the merchant's wording; absent parts use the catalog's. */
  templates: Record<string, Partial<Record<Locale, TemplateContent>>>;
  /** Transactional flows only: may go to customers without marketing consent. */
  allowWithoutConsent: boolean;
  /** Place messages inside each customer's usual active hours (quiet hours and caps still apply). */
  activeHours: boolean;
  /**
   * Issue 21: each message goes on the channel the customer's file prefers
   * (email or SMS), `channel` when the file names none or the message could
   * not go there (app/domain/care/customer-preferences.ts). Off by default:
   * a flow's channel is the merchant's choice until they say otherwise.
   */
  preferredChannel: boolean;
  holdoutPercent: number;
  /** Post-delivery only: usage tips by product, in place of the step's wording. */
  tips: UsageTip[];
}

export interface FlowText {
  key: MessageKey;
  vars?: MessageVars;
}
export type FlowConfigErrors = Record<string, FlowText>;
export type FlowConfigResult = { ok: true; config: FlowConfig } | { ok: false; errors: FlowConfigErrors };

/**
 * A flow's whole default config: switched off (a merchant turns flows on),
 * except the shipment notice, on like the care settings' anomalies.notifyCustomer,
 * which already decides whether anomalies plan it.
 */
export function defaultFlowConfig(flow: CareFlowKey): FlowConfig {
  const def = FLOW_CATALOG[flow];
  return {
    enabled: def.enabledByDefault,
    channel: def.channel,
    steps: Object.fromEntries(def.steps.map((s) => [s.step, { enabled: true, delayDays: s.delay.default }])),
    templates: {},
    allowWithoutConsent: def.allowWithoutConsent,
    activeHours: def.activeHours,
    preferredChannel: false,
    holdoutPercent: def.holdoutPercent,
    tips: [],
  };
}

const templateSchema = z.object({ subject: z.string().trim().min(1).max(200), body: z.string().trim().min(1).max(5000), sms: z.string().trim().min(1).max(1600) });

function schemaFor(flow: CareFlowKey) {
  const def = FLOW_CATALOG[flow];
  const defaults = defaultFlowConfig(flow);
  const steps = Object.fromEntries(
    def.steps.map((s) => [
      s.step,
      z.object({ enabled: z.boolean().default(true), delayDays: z.number().int().min(s.delay.min).max(s.delay.max).default(s.delay.default) }).prefault({}),
    ]),
  );
  const templates = Object.fromEntries(def.steps.map((s) => [s.step, z.object({ en: templateSchema.optional(), "zh-CN": templateSchema.optional() }).optional()]));
  return z.object({
    enabled: z.boolean().default(def.enabledByDefault),
    channel: z.enum(CHANNELS).default(defaults.channel),
    steps: z.object(steps).prefault({}),
    templates: z.object(templates).prefault({}),
    allowWithoutConsent: z.boolean().default(defaults.allowWithoutConsent),
    activeHours: z.boolean().default(defaults.activeHours),
    preferredChannel: z.boolean().default(false),
    holdoutPercent: z.number().int().min(0).max(MAX_HOLDOUT_PERCENT).default(defaults.holdoutPercent),
    tips: z
      .array(z.object({ match: z.string().trim().min(1).max(60), templates: z.object({ en: templateSchema.optional(), "zh-CN": templateSchema.optional() }) }))
      .max(flow === "postDelivery" ? MAX_TIPS : 0)
      .default([]),
  });
}

const text = (key: MessageKey, vars?: MessageVars): FlowText => (vars ? { key, vars } : { key });

function fieldError(flow: CareFlowKey, path: PropertyKey[]): FlowText {
  const [section, second, third] = path.map(String);
  if (section === "steps" && third === "delayDays") {
    const bound = FLOW_CATALOG[flow].steps.find((s) => s.step === second)?.delay;
    if (bound) return text("care.flows.errors.delayRange", { min: bound.min, max: bound.max });
  }
  if (section === "holdoutPercent") return text("care.flows.errors.holdoutRange", { max: MAX_HOLDOUT_PERCENT });
  if (section === "templates" && path.length >= 4) return text("care.flows.errors.templateRequired");
  if (section === "tips") {
    if (second === undefined) return text("care.flows.errors.tooManyTips", { max: MAX_TIPS });
    if (third === "match") return text("care.flows.errors.tipMatch");
    if (third === "templates" && path.length >= 5) return text("care.flows.errors.templateRequired");
  }
  return text("care.flows.errors.invalid");
}

/**
 * A config as the flow editor submits it, before validation: wording equal to
 * the catalog's is not kept as the merchant's own (improvements to the
 * defaults then still reach the shop), and a tip's language left blank means
 * "use the other language's".
 */
export function submittedFlowConfig(flow: CareFlowKey, input: Record<string, unknown>): Record<string, unknown> {
  const templates = input.templates;
  if (!templates || typeof templates !== "object") return { ...input, tips: withoutEmptyLanguages(input.tips) };
  const kept: Record<string, Record<string, unknown>> = {};
  for (const [step, locales] of Object.entries(templates as Record<string, Record<string, unknown>>)) {
    for (const [locale, content] of Object.entries(locales ?? {})) {
      const catalog = FLOW_CATALOG[flow].templates[step]?.[locale as Locale];
      if (catalog && JSON.stringify(content) === JSON.stringify(catalog)) continue;
      (kept[step] ??= {})[locale] = content;
    }
  }
  return { ...input, templates: kept, tips: withoutEmptyLanguages(input.tips) };
}

/** A tip's language left blank (all three parts) means "use the other language's", not an error. */
function withoutEmptyLanguages(tips: unknown): unknown {
  if (!Array.isArray(tips)) return tips;
  const blank = (content: unknown) => !!content && typeof content === "object" && Object.values(content).every((part) => typeof part === "string" && part.trim() === "");
  return tips.map((tip) => {
    if (!tip || typeof tip !== "object" || !("templates" in tip) || !tip.templates || typeof tip.templates !== "object") return tip;
    return { ...tip, templates: Object.fromEntries(Object.entries(tip.templates as Record<string, unknown>).filter(([, content]) => !blank(content))) };
  });
}

/**
 * Reads a flow's config as stored or submitted (numbers and booleans; the
 * route converts form strings). Errors are keyed by field path
 * (`steps.usageTips.delayDays`, `templates.reviewRequest.zh-CN.body`).
 */
export function validateFlowConfig(flow: CareFlowKey, input: unknown, { stored = false }: { stored?: boolean } = {}): FlowConfigResult {
  const parsed = schemaFor(flow).safeParse(input ?? {});
  if (!parsed.success) {
    const errors: FlowConfigErrors = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".") || "config";
      if (!errors[path]) errors[path] = fieldError(flow, issue.path);
    }
    return { ok: false, errors };
  }
  const config = parsed.data as FlowConfig;
  const errors: FlowConfigErrors = {};
  // Marketing flows need consent, always: the switch would be a way around the law, not a setting.
  if (config.allowWithoutConsent && FLOW_CATALOG[flow].messageClass === "marketing") errors.allowWithoutConsent = text("care.flows.errors.marketingNeedsConsent");
  const wordings = [
    ...Object.entries(config.templates).map(([stepName, locales]) => [`templates.${stepName}`, locales ?? {}] as const),
    ...config.tips.map((tip, index) => [`tips.${index}.templates`, tip.templates] as const),
  ];
  config.tips.forEach((tip, index) => {
    if (!tip.templates.en && !tip.templates["zh-CN"]) errors[`tips.${index}.templates`] = text("care.flows.errors.tipContent");
    // Two tips with the same words: the second would never be chosen.
    if (config.tips.findIndex((other) => other.match.toLowerCase() === tip.match.toLowerCase()) < index) errors[`tips.${index}.match`] = text("care.flows.errors.tipDuplicate");
  });
  for (const [prefix, locales] of wordings) {
    for (const [locale, content] of Object.entries(locales)) {
      if (!content) continue;
      for (const problem of templateProblems(content)) {
        const path = `${prefix}.${locale}.${problem.field}`;
        if (errors[path]) continue;
        errors[path] =
          problem.kind === "unknownVariable"
            ? text("care.template.problem.unknownVariable", { variable: problem.variable })
            : problem.kind === "invalidPlaceholder"
              ? text("care.template.problem.invalidPlaceholder", { text: problem.text })
              : text("care.template.problem.unbalancedBraces");
      }
      // Only a step with an offer has a code to give (issue 17: an offer is a code); other wording may not promise one.
      // Refused when saved; wording stored before this rule keeps its flow on, and the dispatcher blocks such a message (noOffer).
      const stepName = prefix.startsWith("templates.") ? prefix.slice("templates.".length) : null;
      if (!stored && !FLOW_CATALOG[flow].steps.some((s) => s.step === stepName && s.offerPercent !== undefined)) {
        for (const field of ["subject", "body", "sms"] as const) {
          const path = `${prefix}.${locale}.${field}`;
          if (!errors[path] && namesOffer({ [field]: content[field] })) errors[path] = text("care.flows.errors.noOffer");
        }
      }
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, config };
}

/** Stored config that no longer parses is read as the defaults, switched off (nothing invalid is used). */
export function readFlowConfig(flow: CareFlowKey, enabled: boolean, stored: unknown): { config: FlowConfig; invalid: boolean } {
  const parsed = validateFlowConfig(flow, { ...(typeof stored === "object" && stored ? stored : {}), enabled }, { stored: true });
  return parsed.ok ? { config: parsed.config, invalid: false } : { config: { ...defaultFlowConfig(flow), enabled: false }, invalid: true };
}

/** The tip for an order: the first whose words appear in a line's title, vendor or SKU (null: the step's own wording). */
export function chooseTip(config: FlowConfig, texts: Array<string | null | undefined>): string | null {
  const haystack = texts.filter((text): text is string => !!text).map((text) => text.toLowerCase());
  return config.tips.find((tip) => haystack.some((text) => text.includes(tip.match.toLowerCase())))?.match ?? null;
}

/**
 * The content of a step in a locale: for usage tips planned with a tip, that
 * tip's wording (its other language when it has none in this one); else the
 * merchant's wording, else the catalog's; English when the locale has none.
 * A tip removed since the message was planned falls back to the step's wording.
 */
export function stepContent(flow: CareFlowKey, config: FlowConfig, stepName: string, locale: Locale, tipMatch: string | null = null): TemplateContent | null {
  if (stepName === "usageTips" && tipMatch) {
    const tip = config.tips.find((candidate) => candidate.match.toLowerCase() === tipMatch.toLowerCase());
    const wording = tip ? (tip.templates[locale] ?? tip.templates.en ?? tip.templates["zh-CN"]) : undefined;
    if (wording) return wording;
  }
  const own = config.templates[stepName];
  const catalog = FLOW_CATALOG[flow].templates[stepName];
  return own?.[locale] ?? catalog?.[locale] ?? own?.en ?? catalog?.en ?? null;
}

/** A flow's class as the merchant sees it: "mixed" when one step differs from the flow's (post-delivery's review request). */
export function flowClasses(flow: CareFlowKey): MessageClass[] {
  const def = FLOW_CATALOG[flow];
  return [...new Set([def.messageClass, ...def.steps.map((s) => s.messageClass ?? def.messageClass)])];
}

export const isCareFlow = (value: string): value is CareFlowKey => (CARE_FLOWS as readonly string[]).includes(value);

// ---------------------------------------------------------------- planning

export interface PlannedFlowMessage {
  customerShopifyId: string;
  idempotencyKey: string;
  source: "flow";
  sourceId: CareFlowKey;
  step: string;
  channel: Channel;
  messageClass: MessageClass;
  priority: number;
  orderShopifyId: string | null;
  fulfillmentShopifyId: string | null;
  variables: Record<string, string | number | null>;
  plannedAt: Date;
  expiresAt: Date;
  holdout: boolean;
}

export interface PlanContext {
  shop: string;
  now: Date;
  config: FlowConfig;
  customerShopifyId: string;
  /** The customer's zone, else the shop's. */
  timeZone: string;
  variables: Record<string, string | number | null>;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** When a step `delayDays` after `anchor` goes: the anchor itself for 0, else SEND_HOUR on that local day (never before the anchor). */
export function stepTime(anchor: Date, delayDays: number, timeZone: string): Date {
  if (delayDays === 0) return anchor;
  const at = zonedInstant(addDays(localDate(anchor, timeZone), delayDays), SEND_HOUR, timeZone);
  return delayDays > 0 && at < anchor ? anchor : at;
}

interface Trigger {
  flow: CareFlowKey;
  /** The key's tail after flow and step: what makes this occurrence unique. */
  keyTail: string;
  anchor: Date;
  /** Only these steps (win-back plans one stage at a time); all when absent. */
  steps?: string[];
  orderShopifyId?: string | null;
  fulfillmentShopifyId?: string | null;
  /** Per-step extra variables (win-back's offer). */
  stepVariables?: (step: StepDefinition) => Record<string, string | number | null>;
}

function planTrigger(context: PlanContext, trigger: Trigger): PlannedFlowMessage[] {
  const { config } = context;
  if (!config.enabled) return [];
  const def = FLOW_CATALOG[trigger.flow];
  const heldOut = isHeldOut(context.shop, `flow:${trigger.flow}`, context.customerShopifyId, config.holdoutPercent);
  const out: PlannedFlowMessage[] = [];
  for (const stepDef of def.steps) {
    if (trigger.steps && !trigger.steps.includes(stepDef.step)) continue;
    const stepConfig = config.steps[stepDef.step] ?? { enabled: true, delayDays: stepDef.delay.default };
    if (!stepConfig.enabled) continue;
    const plannedAt = stepTime(trigger.anchor, stepConfig.delayDays, context.timeZone);
    const expiresAt = new Date(plannedAt.getTime() + def.validityDays * DAY);
    if (expiresAt <= context.now) continue;
    out.push({
      customerShopifyId: context.customerShopifyId,
      idempotencyKey: `flow:${trigger.flow}:${trigger.keyTail}:${stepDef.step}`,
      source: "flow",
      sourceId: trigger.flow,
      step: stepDef.step,
      channel: config.channel,
      messageClass: stepDef.messageClass ?? def.messageClass,
      priority: def.priority,
      orderShopifyId: trigger.orderShopifyId ?? null,
      fulfillmentShopifyId: trigger.fulfillmentShopifyId ?? null,
      variables: { ...context.variables, ...(trigger.stepVariables?.(stepDef) ?? {}) },
      plannedAt,
      expiresAt,
      holdout: heldOut,
    });
  }
  return out;
}

/** A delivered fulfillment (or an untracked one counted delivered): every post-delivery step, once per fulfillment. */
export function planPostDelivery(context: PlanContext, delivery: { fulfillmentShopifyId: string; orderShopifyId: string; deliveredAt: Date; tipMatch?: string | null }): PlannedFlowMessage[] {
  return planTrigger(context, {
    // The usage tips remember which product's tips they carry (the dispatcher reads the wording when it sends).
    stepVariables: (s): Record<string, string> => (s.step === "usageTips" && delivery.tipMatch ? { [TIP_VARIABLE]: delivery.tipMatch } : {}),
    flow: "postDelivery",
    keyTail: delivery.fulfillmentShopifyId,
    anchor: delivery.deliveredAt,
    orderShopifyId: delivery.orderShopifyId,
    fulfillmentShopifyId: delivery.fulfillmentShopifyId,
  });
}

/** The Message variable naming the usage tip a post-delivery message was planned with. */
export const TIP_VARIABLE = "usageTip";

/** A replenishment reminder at the customer's reminder point, once per last order (a new order starts a new cycle). */
export function planReplenishment(context: PlanContext, reminder: { reminderAt: Date; lastOrderShopifyId: string }): PlannedFlowMessage[] {
  return planTrigger(context, { flow: "replenishment", keyTail: `${context.customerShopifyId}:${reminder.lastOrderShopifyId}`, anchor: reminder.reminderAt });
}

/**
 * Win-back when the customer is at risk or dormant, once per stage and last
 * order. The offer escalates: the dormant step's percent is above the
 * at-risk one's, and each tier rank above the lowest adds `tierBonusPercent`.
 */
export function planWinBack(context: PlanContext, entry: { stage: "atRisk" | "dormant"; since: Date; lastOrderShopifyId: string; tierRank: number; tierBonusPercent?: number }): PlannedFlowMessage[] {
  const bonus = Math.max(0, entry.tierRank) * (entry.tierBonusPercent ?? WIN_BACK_TIER_BONUS_PERCENT);
  return planTrigger(context, {
    flow: "winBack",
    keyTail: `${context.customerShopifyId}:${entry.lastOrderShopifyId}`,
    anchor: entry.since,
    steps: [entry.stage],
    stepVariables: (s) => ({ discountPercent: Math.min(50, (s.offerPercent ?? 0) + bonus) }),
  });
}

/** Each tier rank above the lowest adds this much to the win-back offer. */
export const WIN_BACK_TIER_BONUS_PERCENT = 5;

/** Congratulations on a tier upgrade, once per domain event. */
export function planTierUpgrade(context: PlanContext, event: { eventId: number; at: Date }): PlannedFlowMessage[] {
  return planTrigger(context, { flow: "tierUpgrade", keyTail: String(event.eventId), anchor: event.at });
}

/** The downgrade warning, once per warning event (the tier sweeper announces a downgrade its grace period ahead). */
export function planDowngradeWarning(context: PlanContext, event: { eventId: number; at: Date }): PlannedFlowMessage[] {
  return planTrigger(context, { flow: "downgradeWarning", keyTail: String(event.eventId), anchor: event.at });
}

/** A birthday greeting, once per customer and year, at SEND_HOUR on the local birthday (a negative delay: that many days ahead). */
export function planBirthday(context: PlanContext, birthday: { localDate: string }): PlannedFlowMessage[] {
  const greeting = context.config.steps.greeting ?? { enabled: true, delayDays: 0 };
  const anchor = zonedInstant(addDays(birthday.localDate, greeting.delayDays), SEND_HOUR, context.timeZone);
  // The delay is already in the anchor: plan the step at it.
  const config = { ...context.config, steps: { greeting: { enabled: greeting.enabled, delayDays: 0 } } };
  return planTrigger({ ...context, config }, { flow: "birthday", keyTail: `${context.customerShopifyId}:${birthday.localDate.slice(0, 4)}`, anchor });
}

/** Every step of a flow with its delay, for the journey preview (in order of delay). */
export function journeySteps(flow: CareFlowKey, config: FlowConfig): Array<{ step: string; delayDays: number; enabled: boolean; messageClass: MessageClass }> {
  const def = FLOW_CATALOG[flow];
  return def.steps
    .map((s) => ({ step: s.step, delayDays: config.steps[s.step]?.delayDays ?? s.delay.default, enabled: config.steps[s.step]?.enabled ?? true, messageClass: s.messageClass ?? def.messageClass }))
    .sort((a, b) => a.delayDays - b.delayDays);
}
