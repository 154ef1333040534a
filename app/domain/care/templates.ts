/**
 * Message templates of care flows and campaigns: the merchant writes a
 * subject, a body and an SMS text with `{{variable}}` placeholders; this
 * renders them for one customer into the parts every channel sends. Pure: the
 * caller passes the values already formatted (money in the shop's currency,
 * dates in the customer's locale), so templates never format or look anything up.
 *
 * - HTML: the body's text is escaped (merchants write text, not markup; a
 *   customer's name such as `<b>` stays literal), blank lines make paragraphs,
 *   single line breaks stay, and links become clickable.
 * - Text and SMS: plain, values as they are.
 * - An unknown or missing variable renders empty rather than leaving `{{x}}`
 *   in front of a customer; `templateProblems` names it so the flow editor can
 *   refuse it before anything is sent.
 * - Marketing messages (an unsubscribe URL given) carry a visible unsubscribe
 *   link in both email parts and the STOP hint in the SMS.
 */
import { localeForTag, translate, type Locale } from "~/i18n";
import type { Channel } from "./types";

/**
 * The variables flows and campaigns fill in. Every value arrives as a string
 * (or a number) already formatted for the customer's locale.
 */
export const TEMPLATE_VARIABLES = {
  firstName: "the customer's first name",
  lastName: "the customer's last name",
  fullName: "first and last name",
  shopName: "the shop's name",
  tierName: "the member's tier, in the customer's language",
  nextTierName: "the tier above the member's",
  amountToNextTier: "spend still needed for the next tier (formatted money)",
  amountToKeepTier: "spend needed before downgradeOn to keep the tier (formatted money)",
  downgradeOn: "the date the tier would drop (formatted date)",
  perks: "the tier's perks as one line",
  tierGift: "the gift that comes with entering the tier",
  birthdayGift: "the tier's birthday perk",
  productTitle: "the product the message is about (first line of the order)",
  productTitles: "every product of the order, comma separated",
  productType: "the product's type",
  orderName: "the order's name, e.g. #1001",
  trackingUrl: "the carrier's tracking page",
  trackingNumber: "the parcel's tracking number",
  carrier: "the carrier's name",
  deliveredOn: "the delivery date (formatted date)",
  discountPercent: "the offer's percentage, e.g. 15",
  offerCode: "the discount code of the offer",
  offerExpiresOn: "the last day of the offer (formatted date)",
  reviewUrl: "where to leave a review",
  returnUrl: "where to start a free return",
  reorderUrl: "where to order the same products again",
  shopUrl: "the shop's storefront",
} as const;
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export const TEMPLATE_VARIABLE_NAMES = Object.keys(TEMPLATE_VARIABLES) as TemplateVariable[];

export interface TemplateContent {
  subject: string;
  body: string;
  sms: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export type TemplateVariables = Record<string, string | number | null | undefined>;

export interface RenderOptions {
  /** The customer's locale (any tag; zh* reads Simplified Chinese, anything else English). */
  locale: string;
  /** Set for marketing messages: the customer's one-click unsubscribe link. */
  unsubscribeUrl: string | null;
  /** What the link stops: marketing (the default), or emails about the customer's membership (ADR 0011). */
  unsubscribeTopic?: "marketing" | "membership";
  shopName: string;
}

// `{{ name }}`: a name starts with a letter; spaces inside the braces are allowed.
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

function fill(template: string, variables: TemplateVariables, transform: (value: string) => string = (value) => value): string {
  // Everything between placeholders goes through `transform` too, so the HTML
  // part escapes the merchant's literal text and the values alike.
  let out = "";
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    out += transform(template.slice(last, match.index));
    const value = variables[match[1]!];
    out += value === null || value === undefined ? "" : transform(String(value));
    last = match.index + match[0].length;
  }
  return out + transform(template.slice(last));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// Links in escaped text: http(s) up to whitespace or a closing bracket, without
// the sentence's last punctuation.
const LINK = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]。，；：！？）]/g;
const linkify = (escaped: string) => escaped.replace(LINK, (url) => `<a href="${url}" style="color:#005bd3">${url}</a>`);

const paragraphs = (text: string) =>
  text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** The longest SMS body we hand a provider (Twilio refuses more than 1,600 characters). */
export const SMS_MAX_LENGTH = 1600;

export function renderMessage(content: TemplateContent, variables: TemplateVariables, options: RenderOptions): RenderedMessage {
  const locale: Locale = localeForTag(options.locale || "en");
  const values: TemplateVariables = { shopName: options.shopName, ...variables };
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string>) => translate(locale, key, vars);

  // A subject is one header line: line breaks in it would be a header injection.
  const subject = oneLine(fill(content.subject, values));

  const body = paragraphs(fill(content.body, values));
  const unsubscribe = options.unsubscribeUrl;
  const sentBy = t("care.email.footer.sentBy", { shopName: options.shopName });
  const text = [
    body.join("\n\n"),
    "--",
    sentBy,
    ...(unsubscribe ? [t(options.unsubscribeTopic === "membership" ? "care.email.footer.membershipUnsubscribeText" : "care.email.footer.unsubscribeText", { url: unsubscribe })] : []),
  ].join("\n\n");

  const htmlBody = paragraphs(fill(content.body, values, escapeHtml))
    .map((paragraph) => `<p style="margin:0 0 16px">${linkify(paragraph).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  const footer = [
    `<p style="margin:0 0 8px">${escapeHtml(sentBy)}</p>`,
    ...(unsubscribe
      ? [`<p style="margin:0"><a href="${escapeHtml(unsubscribe)}" style="color:#005bd3">${escapeHtml(t(options.unsubscribeTopic === "membership" ? "care.email.footer.membershipUnsubscribeLink" : "care.email.footer.unsubscribeLink", { shopName: options.shopName }))}</a></p>`]
      : []),
  ].join("\n");
  // Tables and inline styles because mail clients drop <style> and most CSS
  // layout; lang, a title and role="article" for screen readers.
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f1f1f1">
<div role="article" aria-roledescription="email" aria-label="${escapeHtml(subject)}" lang="${locale}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f1f1f1"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border-radius:8px">
<tr><td style="padding:24px 24px 8px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'PingFang SC','Microsoft YaHei',sans-serif;font-size:20px;font-weight:600;color:#303030">${escapeHtml(options.shopName)}</td></tr>
<tr><td style="padding:8px 24px 8px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'PingFang SC','Microsoft YaHei',sans-serif;font-size:16px;line-height:1.5;color:#303030">
${htmlBody}
</td></tr>
<tr><td style="padding:16px 24px 24px;border-top:1px solid #e3e3e3;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'PingFang SC','Microsoft YaHei',sans-serif;font-size:13px;line-height:1.5;color:#616161">
${footer}
</td></tr>
</table>
</td></tr></table>
</div>
</body>
</html>`;

  return { subject, text, html, sms: renderSms(content.sms, values, { locale, shopName: options.shopName, marketing: unsubscribe !== null }) };
}

/**
 * The SMS: one paragraph, the shop named first (carriers expect the sender
 * identified; Chinese SMS carries its signature in 【】), the STOP hint for
 * marketing, at most SMS_MAX_LENGTH characters with the hint kept whole.
 */
function renderSms(template: string, values: TemplateVariables, { locale, shopName, marketing }: { locale: Locale; shopName: string; marketing: boolean }): string {
  const message = oneLine(fill(template, values));
  if (!message) return "";
  const signed = message.includes(shopName) ? message : locale === "zh-CN" ? `【${shopName}】${message}` : `${shopName}: ${message}`;
  const hint = marketing ? translate(locale, "care.unsubscribe.smsHint") : "";
  const joiner = hint ? (locale === "zh-CN" ? "" : " ") : "";
  const room = SMS_MAX_LENGTH - hint.length - joiner.length;
  const chars = [...signed];
  const body = chars.length > room ? `${chars.slice(0, room - 1).join("").trimEnd()}…` : signed;
  return `${body}${joiner}${hint}`;
}

/**
 * The words a channel was handed, as the message row keeps them once it is
 * sent (issue 20, ADR 0032): an email's subject and both parts; an SMS's text
 * alone (its only part); for a Shopify Flow trigger, every field of the
 * payload the workflow received, one "Field: value" per line (some triggers
 * carry the subject and text, others only the facts a workflow writes its own
 * message from).
 */
export interface SentWords {
  subject: string | null;
  text: string;
  html: string | null;
}

export function sentWords(message: { channel: Channel; rendered: RenderedMessage; flow: { payload: Record<string, unknown> } | null }): SentWords {
  const { channel, rendered } = message;
  if (channel === "sms") return { subject: null, text: rendered.sms, html: null };
  if (channel === "flow") {
    const fields = Object.entries(message.flow?.payload ?? {}).map(([field, value]) => `${field}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
    return { subject: null, text: fields.join("\n"), html: null };
  }
  return { subject: rendered.subject, text: rendered.text, html: rendered.html };
}

export type TemplateField = keyof TemplateContent;
export type TemplateProblem =
  | { field: TemplateField; kind: "unknownVariable"; variable: string; index: number }
  | { field: TemplateField; kind: "unbalancedBraces"; index: number }
  | { field: TemplateField; kind: "invalidPlaceholder"; text: string; index: number };

/**
 * What is wrong with a template, for the flow editor to show before saving:
 * variables nobody fills in, `{{` without `}}` (or the reverse), and
 * placeholders that are not a variable name (`{{ first name }}`). Empty when
 * the template is fine. `known` defaults to TEMPLATE_VARIABLES.
 */
export function templateProblems(content: Partial<TemplateContent>, known: readonly string[] = TEMPLATE_VARIABLE_NAMES): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const field of ["subject", "body", "sms"] as const) {
    const template = content[field];
    if (!template) continue;
    // Walk the braces in order: every `{{` must close with `}}` before the next `{{`.
    let at = 0;
    while (at < template.length) {
      const open = template.indexOf("{{", at);
      const close = template.indexOf("}}", at);
      if (open === -1 && close === -1) break;
      if (open === -1 || (close !== -1 && close < open)) {
        problems.push({ field, kind: "unbalancedBraces", index: close });
        at = close + 2;
        continue;
      }
      const end = template.indexOf("}}", open + 2);
      const nextOpen = template.indexOf("{{", open + 2);
      if (end === -1 || (nextOpen !== -1 && nextOpen < end)) {
        problems.push({ field, kind: "unbalancedBraces", index: open });
        at = open + 2;
        continue;
      }
      const inner = template.slice(open + 2, end);
      const name = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*$/.exec(inner)?.[1];
      if (!name) problems.push({ field, kind: "invalidPlaceholder", text: template.slice(open, end + 2), index: open });
      else if (!known.includes(name)) problems.push({ field, kind: "unknownVariable", variable: name, index: open });
      at = end + 2;
    }
  }
  return problems;
}

/** The variables a template uses, each once, in order of appearance. */
export function templateVariablesUsed(content: Partial<TemplateContent>): string[] {
  const names = new Set<string>();
  for (const field of ["subject", "body", "sms"] as const) {
    for (const match of (content[field] ?? "").matchAll(PLACEHOLDER)) names.add(match[1]!);
  }
  return [...names];
}

// GSM 03.38: the basic set (one septet each) and the extension table (escape + one septet).
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENDED = new Set("^{}\\[~]|€\f");

export interface SmsSegments {
  /** GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2 (any Chinese text). */
  encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  /** Messages the carrier bills: one up to 160 septets / 70 units, else 153 / 67 per part (the rest is the concatenation header). */
  segments: number;
  /** Units that fit in each part at this length. */
  perSegment: number;
}

/** How many SMS parts a text costs, for the flow editor's counter. */
export function smsSegments(text: string): SmsSegments {
  const chars = [...text];
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENDED.has(c));
  if (gsm) {
    const units = chars.reduce((sum, c) => sum + (GSM_EXTENDED.has(c) ? 2 : 1), 0);
    const perSegment = units <= 160 ? 160 : 153;
    return { encoding: "GSM-7", units, segments: units === 0 ? 0 : Math.ceil(units / perSegment), perSegment };
  }
  const units = text.length; // UTF-16 code units: an emoji takes two
  const perSegment = units <= 70 ? 70 : 67;
  return { encoding: "UCS-2", units, segments: Math.ceil(units / perSegment), perSegment };
}
