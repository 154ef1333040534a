// The extension as Shopify CLI reads it: what every UI extension is checked
// for (tests/support/ui-extension-scaffold.ts: API version, targets and
// modules, package.json, locales, TypeScript), and what is this one's own.
import { describeUiExtension } from "../../../tests/support/ui-extension-scaffold";
import { EXTENSION_DIR } from "./support";

const { config } = describeUiExtension(EXTENSION_DIR, { surfaceOf: () => "point-of-sale" });

describe("shopify.extension.toml", () => {
  it("is one POS UI extension: the customer details block, its action menu item and modal, the home tile and its modal", () => {
    expect(config.extensions).toHaveLength(1);
    const [pos] = config.extensions;
    expect(pos).toMatchObject({ type: "ui_extension", handle: "member-pos" });
    expect(pos.targeting.map(({ target }) => target)).toEqual([
      "pos.customer-details.block.render",
      "pos.customer-details.action.menu-item.render",
      "pos.customer-details.action.render",
      "pos.home.tile.render",
      "pos.home.modal.render",
    ]);
    // POS extensions call their own app's backend without a network capability.
    expect(pos.capabilities).toBeUndefined();
  });
});
