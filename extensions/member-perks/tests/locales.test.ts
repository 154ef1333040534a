// locales/en.default.json and zh-CN.json say the same things, with the same
// placeholders, and the code asks only for keys they have (and uses them all).
import { describeExtensionLocales } from "../../../tests/support/ui-extension-scaffold";
import { EXTENSION_DIR } from "./support";

describeExtensionLocales(EXTENSION_DIR, {
  plurals: [
    "member.progress.orders.one",
    "member.progress.orders.other",
    "member.review.orders.one",
    "member.review.orders.other",
    "member.review.spendAndOrders.one",
    "member.review.spendAndOrders.other",
    "page.invitation.orders.one",
    "page.invitation.orders.other",
    "page.invitation.window.rolling.one",
    "page.invitation.window.rolling.other",
  ],
  minCalls: 20,
});
