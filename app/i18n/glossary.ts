/**
 * One word per thing, in both languages (issue 20). The admin, the emails and
 * texts, checkout and the customer's account page name the same things the
 * same way: a flow by one display name, a percentage discount in one form, a
 * lifecycle stage by one word. Catalog keys for each live in en.json and
 * zh-CN.json; this module says which key (or form) is THE one, and
 * app/i18n/glossary.test.ts holds every surface to it, including the checkout
 * extension's own locale files (extensions cannot import app code).
 */
import type { CareFlowKey } from "~/domain/care/types";
import type { Locale, MessageKey } from "./index";

/** A care flow's display name: the Flows page, Messages, Results and the member's timeline all read this key. */
export const flowNameKey = (flow: CareFlowKey): MessageKey => `results.flow.${flow}` as MessageKey;
