/**
 * Money is kept in integer minor units of its currency. Shopify sends decimal
 * strings ("199.00"); converting through floats would misround, so the string is
 * split and scaled as text.
 */
const digitsCache = new Map<string, number>();

/** How many minor-unit digits a currency has (USD 2, JPY 0, KWD 3). */
export function currencyDigits(currencyCode: string): number {
  const code = currencyCode.toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2; // unknown or placeholder codes such as "XXX" in Shopify's samples
    }
    digitsCache.set(code, digits);
  }
  return digits;
}

export class MoneyFormatError extends Error {}

export function toMinorUnits(amount: string | number | null | undefined, currencyCode: string): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const text = typeof amount === "number" ? amount.toFixed(currencyDigits(currencyCode)) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new MoneyFormatError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ""] = match;
  const digits = currencyDigits(currencyCode);
  const padded = (fraction + "0".repeat(digits)).slice(0, digits);
  // Round half away from zero on the first dropped digit.
  const roundUp = fraction.length > digits && Number(fraction[digits]) >= 5 ? 1 : 0;
  const minor = Number(whole) * 10 ** digits + Number(padded || "0") + roundUp;
  return sign ? -minor : minor;
}

/**
 * Minor units as the decimal amount Shopify and spreadsheets read, in the
 * currency's own digits: 2050 USD "20.50", 5000 JPY "5000", 12345 KWD "12.345".
 * An average may hold a fraction of a minor unit; it is rounded to a whole one
 * first, and the rest is integer arithmetic, so no float misprints a cent.
 */
export function minorToAmount(minor: number, currencyCode: string): string {
  const digits = currencyDigits(currencyCode);
  const whole = Math.round(Math.abs(minor));
  const sign = minor < 0 && whole > 0 ? "-" : "";
  if (digits === 0) return `${sign}${whole}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(whole / scale)}.${String(whole % scale).padStart(digits, "0")}`;
}
