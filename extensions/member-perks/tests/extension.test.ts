// The extension as Shopify CLI reads it: what every UI extension is checked
// for (tests/support/ui-extension-scaffold.ts: API version, targets and
// modules, package.json, locales, TypeScript), and what is this one's own
// (its two extensions, the metafield, the Customer Account API version).
import fs from "node:fs";
import path from "node:path";
import { describeUiExtension } from "../../../tests/support/ui-extension-scaffold";
import { CUSTOMER_ACCOUNT_API_VERSION } from "../src/customer-account-api";
import { MEMBERSHIP_METAFIELD } from "../src/targets/host";
import { EXTENSION_DIR } from "./support";

const { config, root } = describeUiExtension(EXTENSION_DIR, { surfaceOf: (target) => (target.startsWith("purchase.") ? "checkout" : "customer-account") });

describe("shopify.extension.toml", () => {
  const [perks, page] = config.extensions;

  it("has the page's Customer Account API calls use the extension's API version", () => {
    expect(CUSTOMER_ACCOUNT_API_VERSION).toBe(config.api_version);
  });

  it("puts the checkout, thank-you and order-status targets in one extension that preloads $app:membership", () => {
    expect(perks).toMatchObject({ type: "ui_extension", handle: "member-perks" });
    expect(perks.targeting.map(({ target }) => target)).toEqual([
      "purchase.checkout.reductions.render-after",
      "purchase.thank-you.block.render",
      "customer-account.order-status.block.render",
    ]);
    expect(perks.metafields).toEqual([MEMBERSHIP_METAFIELD]);
    expect(perks.capabilities).toBeUndefined();
  });

  it("gives the full-page target an extension of its own, as Shopify requires", () => {
    expect(config.extensions).toHaveLength(2);
    expect(page).toMatchObject({ type: "ui_extension", handle: "member-perks-page" });
    expect(page.targeting.map(({ target }) => target)).toEqual(["customer-account.page.render"]);
    expect(page.capabilities).toBeUndefined();
  });

  it("reads the metafield the app defines for customer accounts to read (shopify.app.toml)", () => {
    // (The toml package predates dotted keys such as `access.customer_account`, so the block is read as text.)
    const app = fs.readFileSync(path.join(root, "shopify.app.toml"), "utf8");
    const block = /^\[customer\.metafields\.app\.membership\]\n([^[]*)/m.exec(app)?.[1] ?? "";
    expect(block).toMatch(/^type = "json"$/m);
    expect(block).toMatch(/^access\.customer_account = "read"$/m);
  });
});
