/**
 * The counter's answers in words: each line staff read on the customer
 * details block, in the POS user's language. Pure: the formatters and
 * translate come from the host (shopify.i18n) or, in tests, from Intl and the
 * locale files.
 */
import type { CounterFact } from "~/domain/counter-facts";
import type { LocalizedName, PosCustomerView, PosFollowUp } from "~/domain/pos";
import type { Translate } from "./messages";

export type PosLanguage = "en" | "zh-CN";

/** The two languages of the locale files: Chinese for any zh locale, else English. */
export function posLanguage(locale: string): PosLanguage {
  return locale.trim().toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export interface Formatters {
  /** An amount in major units (42.5) of an ISO 4217 currency. */
  money(amount: number, currencyCode: string): string;
  /** An instant, as a date where the POS is. */
  date(date: Date): string;
  /** A calendar date of the shop (YYYY-MM-DD), that very day wherever the POS is. */
  day(date: string): string;
}

export interface Words {
  t: Translate;
  format: Formatters;
  language: PosLanguage;
}

const nameIn = (name: LocalizedName, language: PosLanguage) => name[language] || name.en;
const minorToMajor = (minor: number) => minor / 100;

export function statusLine(view: PosCustomerView, { t, format, language }: Words): string {
  if (view.member) return t("block.member", { tier: nameIn(view.member.tier.name, language), date: format.date(new Date(view.member.since)) });
  return view.status === "nonMember" ? t("block.nonMember") : t("block.new");
}

/** Progress to the next tier for a member; for a customer new to the shop, the tier their first order brings. */
export function progressLine(view: PosCustomerView, { t, format, language }: Words): string | null {
  if (view.member) {
    const progress = view.member.progress;
    if (!progress) return t("progress.top");
    const tier = nameIn(progress.next.name, language);
    if (progress.spendNeededMinor) return t("progress.spend", { amount: format.money(minorToMajor(progress.spendNeededMinor), progress.currencyCode), tier });
    if (progress.ordersNeeded) return t("progress.orders", { count: progress.ordersNeeded, tier });
    return null;
  }
  return view.entryTier ? t("block.joins", { tier: nameIn(view.entryTier.name, language) }) : null;
}

export function downgradeLine(view: PosCustomerView, { t, format }: Words): string | null {
  return view.member?.downgradeOn ? t("progress.downgrade", { date: format.date(new Date(view.member.downgradeOn)) }) : null;
}

/** "Key customer · Active", or whichever of the two the nightly classification has given them; null before it has. */
export function classificationLine(view: PosCustomerView, { t }: Words): string | null {
  const valueClass = view.valueClass ? valueClassWord(view.valueClass, t) : null;
  const stage = view.lifecycleStage ? stageWord(view.lifecycleStage, t) : null;
  return valueClass && stage ? t("block.classification", { valueClass, stage }) : (valueClass ?? stage);
}

function valueClassWord(value: NonNullable<PosCustomerView["valueClass"]>, t: Translate): string {
  switch (value) {
    case "key":
      return t("valueClass.key");
    case "main":
      return t("valueClass.main");
    case "regular":
      return t("valueClass.regular");
  }
}

function stageWord(stage: NonNullable<PosCustomerView["lifecycleStage"]>, t: Translate): string {
  switch (stage) {
    case "prospect":
      return t("stage.prospect");
    case "new":
      return t("stage.new");
    case "honeymoon":
      return t("stage.honeymoon");
    case "active":
      return t("stage.active");
    case "atRisk":
      return t("stage.atRisk");
    case "dormant":
      return t("stage.dormant");
    case "lost":
      return t("stage.lost");
  }
}

export function ordersLine(view: PosCustomerView, { t, format }: Words): string {
  if (!view.orders.lastOrderAt || view.orders.count === 0) return t("block.noOrders");
  return t("block.lastOrder", { count: view.orders.count, date: format.date(new Date(view.orders.lastOrderAt)) });
}

export function fileLine(view: PosCustomerView, { t }: Words): string {
  return view.file.registered ? t("block.completeness", { score: view.file.score }) : t("block.noFile");
}

/** Who last saved the file and when, when the app knows their name (app/models/staff-members.server.ts). */
export function savedByLine(view: PosCustomerView, { t, format }: Words): string | null {
  return view.file.updatedByName && view.file.updatedAt ? t("block.savedBy", { name: view.file.updatedByName, date: format.date(new Date(view.file.updatedAt)) }) : null;
}

type FileField = PosCustomerView["file"]["missing"][number];

export function fieldLabel(field: FileField, t: Translate): string {
  switch (field) {
    case "clothingSize":
      return t("file.field.clothingSize");
    case "shoeSize":
      return t("file.field.shoeSize");
    case "stylePreferences":
      return t("file.field.stylePreferences");
    case "productPreferences":
      return t("file.field.productPreferences");
    case "occupation":
      return t("file.field.occupation");
    case "family":
      return t("file.field.family");
    case "hobbies":
      return t("file.field.hobbies");
    case "preferredChannel":
      return t("file.field.preferredChannel");
    case "preferredContactTime":
      return t("file.field.preferredContactTime");
    case "acceptsPromotions":
      return t("file.field.acceptsPromotions");
    case "birthday":
      return t("file.field.birthday");
    case "notes":
      return t("file.field.notes");
    case "tags":
      return t("file.field.tags");
  }
}

export function channelWord(channel: PosCustomerView["choices"]["preferredChannel"][number], t: Translate): string {
  switch (channel) {
    case "email":
      return t("file.channel.email");
    case "sms":
      return t("file.channel.sms");
    case "phone":
      return t("file.channel.phone");
    case "none":
      return t("file.channel.none");
  }
}

export function timeWord(time: PosCustomerView["choices"]["preferredContactTime"][number], t: Translate): string {
  switch (time) {
    case "morning":
      return t("file.time.morning");
    case "afternoon":
      return t("file.time.afternoon");
    case "evening":
      return t("file.time.evening");
    case "any":
      return t("file.time.any");
  }
}

export function outcomeWord(outcome: PosCustomerView["choices"]["outcomes"][number], t: Translate): string {
  switch (outcome) {
    case "reached":
      return t("outcome.reached");
    case "noAnswer":
      return t("outcome.noAnswer");
    case "declined":
      return t("outcome.declined");
    case "resolved":
      return t("outcome.resolved");
    case "notNeeded":
      return t("outcome.notNeeded");
  }
}

/** A field's name in a sentence ("Ask about: shoe size"): the label without its format hint. */
const fieldName = (field: FileField, t: Translate) => fieldLabel(field, t).replace(/\s*[(（].*$/, "");

export function factLine(fact: CounterFact, t: Translate): string {
  switch (fact.kind) {
    case "birthdaySoon":
      return fact.days === 0 ? t("fact.birthdayToday") : t("fact.birthdaySoon", { count: fact.days });
    case "noPromotions":
      return t("fact.noPromotions");
    case "sizes": {
      const sizes = [fact.clothing ? t("fact.clothing", { size: fact.clothing }) : null, fact.shoe ? t("fact.shoe", { size: fact.shoe }) : null].filter(Boolean).join(", ");
      return t("fact.sizes", { sizes });
    }
    case "preferences":
      return t("fact.preferences", { preferences: [fact.style, fact.products].filter(Boolean).join("; ") });
    case "contact":
      return t("fact.contact", { how: [fact.channel ? channelWord(fact.channel, t) : null, fact.time ? timeWord(fact.time, t) : null].filter(Boolean).join(", ") });
    case "askFor":
      return t("fact.askFor", { field: fieldName(fact.field, t) });
  }
}

export function reasonLine(followUp: Pick<PosFollowUp, "reason" | "detail">, { t, format }: Words): string {
  switch (followUp.reason) {
    case "deliveryProblem":
      return t("reason.deliveryProblem");
    case "highValueAtRisk":
      return t("reason.highValueAtRisk");
    case "keyCustomerTouch":
      return t("reason.keyCustomerTouch");
    case "birthday": {
      // The detail's `on` is the birthday's local date (YYYY-MM-DD) when the task was made.
      const on = String(followUp.detail.on ?? "");
      return t("reason.birthday", { date: /^\d{4}-\d{2}-\d{2}$/.test(on) ? format.day(on) : on });
    }
    case "thinFile":
      return t("reason.thinFile", { score: Number(followUp.detail.completeness ?? 0) });
    case "personalContact":
      return t("reason.personalContact");
  }
}

export function followUpLine(followUp: PosFollowUp, words: Words): string {
  return words.t("block.followUp", { reason: reasonLine(followUp, words), date: words.format.day(followUp.dueOn) });
}
