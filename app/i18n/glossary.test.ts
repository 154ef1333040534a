// Every surface names each thing by the glossary's one word (issue 20, ADR
// 0027): the admin's catalogs, the care flows' email and SMS templates, the
// checkout and account-page extension's locale files, the POS extension's,
// and the discount Function's line at checkout (extensions cannot import app
// code, so this test is what keeps them in step).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { percentOffText } from "../../extensions/member-discount/src/message";
import { FLOW_CATALOG } from "~/domain/care/flows";
import { CARE_FLOWS } from "~/domain/care/types";
import en from "./en.json";
import { flowNameKey, GLOSSARY, percentOff } from "./glossary";
import type { Locale } from "./index";
import zhCN from "./zh-CN.json";

const ROOT = path.resolve(__dirname, "../..");

/** A nested locale file as "a.b.c" → text (plural forms included). */
function flatten(value: unknown, prefix = ""): Array<[string, string]> {
  if (typeof value === "string") return [[prefix, value]];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key));
  return [];
}

/** Every text a customer or merchant reads, by language, named by where it comes from. */
function surfaces(): Record<Locale, Array<[string, string]>> {
  const texts: Record<Locale, Array<[string, string]>> = {
    en: Object.entries(en).map(([key, text]) => [`app/i18n/en.json ${key}`, text]),
    "zh-CN": Object.entries(zhCN).map(([key, text]) => [`app/i18n/zh-CN.json ${key}`, text]),
  };
  // The extensions' own locale files (en.default.json is English).
  const extensions = path.join(ROOT, "extensions");
  for (const extension of readdirSync(extensions)) {
    const dir = path.join(extensions, extension, "locales");
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((file) => file.endsWith(".json"));
    } catch {
      continue;
    }
    for (const file of files) {
      const locale: Locale | null = file.startsWith("en") ? "en" : file.startsWith("zh") ? "zh-CN" : null;
      if (!locale) continue;
      for (const [key, text] of flatten(JSON.parse(readFileSync(path.join(dir, file), "utf8")))) texts[locale].push([`extensions/${extension}/locales/${file} ${key}`, text]);
    }
  }
  // The care flows' emails and texts as the catalog writes them.
  for (const flow of CARE_FLOWS) {
    for (const [step, byLocale] of Object.entries(FLOW_CATALOG[flow].templates)) {
      for (const locale of ["en", "zh-CN"] as const) {
        const content = byLocale?.[locale];
        if (!content) continue;
        for (const part of ["subject", "body", "sms"] as const) texts[locale].push([`flow ${flow}.${step} ${locale} ${part}`, content[part]]);
      }
    }
  }
  return texts;
}

const all = surfaces();

// A placeholder holding a percentage ({percent}, {{discountPercent}}, {higherPercent}) followed by "%".
const PERCENT_PLACEHOLDER = /\{\{?\s*\w*[Pp]ercent\s*\}?\}%/g;
const namesPercent = (text: string) => text.match(PERCENT_PLACEHOLDER) !== null;

describe("the glossary", () => {
  it("finds the surfaces it holds to (both catalogs, three extensions' locale files at least, every flow's templates)", () => {
    const sources = (locale: Locale) => new Set(all[locale].map(([where]) => where.split(" ")[0]!.split("/").slice(0, 2).join("/")));
    expect([...sources("zh-CN")]).toEqual(expect.arrayContaining(["app/i18n", "extensions/member-perks", "extensions/member-pos"]));
    expect(all.en.filter(([where]) => where.startsWith("flow ")).length).toBeGreaterThan(20);
  });

  it("writes a percentage off one way in English: N% off", () => {
    const offenders = all.en.flatMap(([where, text]) => [...text.matchAll(PERCENT_PLACEHOLDER)].filter((match) => !text.slice(match.index).startsWith(`${match[0]} off`)).map(() => `${where}: ${text}`));
    expect(offenders).toEqual([]);
    // And there are such texts to hold (tiers, rewards, the win-back emails, checkout's perks).
    expect(all.en.filter(([, text]) => namesPercent(text)).length).toBeGreaterThan(5);
  });

  it("writes a percentage off one way in Chinese: 优惠 N%, never N折, N% 折扣 or N% 优惠", () => {
    const offenders = all["zh-CN"].flatMap(([where, text]) => {
      const wrong = [
        ...[...text.matchAll(PERCENT_PLACEHOLDER)].filter((match) => !text.slice(0, match.index).endsWith("优惠 ")),
        ...text.matchAll(/(\d|\})折(?!扣)/g),
        ...text.matchAll(/%\s*(折扣|优惠)/g),
        ...text.matchAll(/立享/g),
      ];
      return wrong.length ? [`${where}: ${text}`] : [];
    });
    expect(offenders).toEqual([]);
    expect(all["zh-CN"].filter(([, text]) => namesPercent(text)).length).toBeGreaterThan(5);
  });

  it("is what the app and the checkout Function write for any percentage", () => {
    for (const percent of [5, 10, 15, 12.5, 33.3333, 95, 100]) {
      expect(percentOffText(percent, "en")).toBe(percentOff(percent, "en"));
      expect(percentOffText(percent, "zh-CN")).toBe(percentOff(percent, "zh-CN"));
    }
    expect(percentOff(10, "zh-CN")).toBe("优惠 10%");
    expect(percentOff(12.5, "en")).toBe("12.5% off");
  });

  it("names the lifecycle stage after 'at risk' one way: Dormant / 沉睡, never Sleeping", () => {
    for (const locale of ["en", "zh-CN"] as const) {
      // Every text keyed by the stage itself (intel.lifecycle.dormant, dashboard.trend.dormant, the POS's stage.dormant, ...) uses
      // the word; an explanation of why a customer is in it (intel.lifecycle.explain.dormant) need not repeat it.
      const named = all[locale].filter(([where]) => /\.dormant$/.test(where) && !where.includes(".explain."));
      expect(named.length).toBeGreaterThanOrEqual(3);
      expect(named.filter(([, text]) => !text.includes(GLOSSARY.dormant[locale]))).toEqual([]);
    }
    expect(all.en.filter(([, text]) => /\bsleeping\b|fall(s)? asleep/i.test(text))).toEqual([]);
    expect(en["intel.lifecycle.dormant"]).toBe(GLOSSARY.dormant.en);
    expect(zhCN["intel.lifecycle.dormant"]).toBe(GLOSSARY.dormant["zh-CN"]);
  });

  it("gives each care flow one display name, the one the Flows page shows", () => {
    for (const flow of CARE_FLOWS) expect(flowNameKey(flow) in en && flowNameKey(flow) in zhCN).toBe(true);
    // No second set of flow names in the catalogs (Messages had "Post-delivery care" beside Flows' "After delivery").
    const flowNames = Object.keys(en).filter((key) => CARE_FLOWS.some((flow) => key.endsWith(`.flow.${flow}`)));
    expect(flowNames.sort()).toEqual(CARE_FLOWS.map((flow) => flowNameKey(flow)).sort());
  });
});
