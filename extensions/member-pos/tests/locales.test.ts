// locales/en.default.json and zh-CN.json say the same things, with the same
// placeholders; the code asks only for keys they have (and uses them all);
// every choice the app's domain offers has a word; and the words shared with
// the admin (the file's fields and choices, follow-up reasons and outcomes,
// lifecycle stages, value classes) are the admin's own (app/i18n).
import fs from "node:fs";
import path from "node:path";
import { CONTACT_TIMES, FILE_FIELDS, PREFERRED_CHANNELS } from "~/domain/customer-file";
import { FOLLOW_UP_OUTCOMES, FOLLOW_UP_REASONS } from "~/domain/follow-ups";
import { LIFECYCLE_STAGES, VALUE_CLASSES } from "~/domain/intelligence";
import { describeExtensionLocales } from "../../../tests/support/ui-extension-scaffold";
import { FORM_FIELDS } from "../src/components/FileForm";
import { EXTENSION_DIR } from "./support";

const { en, zh } = describeExtensionLocales(EXTENSION_DIR, {
  plurals: [
    "block.lastOrder.one",
    "block.lastOrder.other",
    "progress.orders.one",
    "progress.orders.other",
    "fact.birthdaySoon.one",
    "fact.birthdaySoon.other",
    "home.count.one",
    "home.count.other",
    "home.more.one",
    "home.more.other",
  ],
  // translate is called as t("key", ...) and, in the menu item, shopify.i18n.translate("key");
  // the form's error messages are looked up through a table of literal keys (ERROR_KEYS).
  translateCall: /\b(?:t|translate)\(\s*([^,)]*)/g,
  otherArguments: ["ERROR_KEYS[field]"],
  tabledKey: /:\s*"(file\.errors\.\w+)"/g,
  minCalls: 40,
});

describe("the app's domain and words", () => {
  it("has a word for every choice the app offers and asks for every field of the file", () => {
    for (const channel of PREFERRED_CHANNELS) expect(en.has(`file.channel.${channel}`), channel).toBe(true);
    for (const time of CONTACT_TIMES) expect(en.has(`file.time.${time}`), time).toBe(true);
    for (const outcome of FOLLOW_UP_OUTCOMES) expect(en.has(`outcome.${outcome}`), outcome).toBe(true);
    for (const reason of FOLLOW_UP_REASONS) expect(en.has(`reason.${reason}`), reason).toBe(true);
    for (const stage of LIFECYCLE_STAGES) expect(en.has(`stage.${stage}`), stage).toBe(true);
    for (const valueClass of VALUE_CLASSES) expect(en.has(`valueClass.${valueClass}`), valueClass).toBe(true);
    expect([...FORM_FIELDS].sort()).toEqual([...FILE_FIELDS].sort());
    for (const field of FILE_FIELDS) expect(en.has(`file.field.${field}`) && en.has(`file.errors.${field}`), field).toBe(true);
  });

  it("uses the admin's words for the same things, in both languages", () => {
    const admin = { en: readAppCatalog("en"), "zh-CN": readAppCatalog("zh-CN") };
    const same: Array<[string, string]> = [
      ...FILE_FIELDS.flatMap((field): Array<[string, string]> => [
        [`file.field.${field}`, `customerFile.field.${field}`],
        [`file.errors.${field}`, `customerFile.errors.${field}`],
      ]),
      ...PREFERRED_CHANNELS.map((channel): [string, string] => [`file.channel.${channel}`, `customerFile.channel.${channel}`]),
      ...CONTACT_TIMES.map((time): [string, string] => [`file.time.${time}`, `customerFile.time.${time}`]),
      ["file.yes", "customerFile.yes"],
      ["file.no", "customerFile.no"],
      ["file.unknown", "customerFile.unknown"],
      ...FOLLOW_UP_OUTCOMES.map((outcome): [string, string] => [`outcome.${outcome}`, `followUps.outcome.${outcome}`]),
      ...FOLLOW_UP_REASONS.map((reason): [string, string] => [`reason.${reason}`, `followUps.reason.${reason}`]),
      ...LIFECYCLE_STAGES.map((stage): [string, string] => [`stage.${stage}`, `intel.lifecycle.${stage}`]),
      ...VALUE_CLASSES.map((valueClass): [string, string] => [`valueClass.${valueClass}`, `intel.value.${valueClass}`]),
    ];
    for (const [ours, theirs] of same) {
      // The app writes {name}, Shopify's locale files {{name}}.
      expect(en.get(ours)?.replace(/\{\{(\w+)\}\}/g, "{$1}"), `${ours} (en)`).toBe(admin.en[theirs]);
      expect(zh.get(ours)?.replace(/\{\{(\w+)\}\}/g, "{$1}"), `${ours} (zh-CN)`).toBe(admin["zh-CN"][theirs]);
    }
  });
});

function readAppCatalog(locale: "en" | "zh-CN"): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "../../app/i18n", `${locale}.json`), "utf8"));
}
