/**
 * The POS Polaris web components' element types (s-pos-block, s-tile,
 * s-choice-list...), which @shopify/ui-extensions declares with each POS
 * target's API. The components import this file's types so they typecheck
 * wherever they are compiled from (the extension, or the app's tests that
 * render them with the backend's answers); nothing of it reaches the bundle.
 */
import type {} from "@shopify/ui-extensions/pos.customer-details.block.render";
import type {} from "@shopify/ui-extensions/pos.home.modal.render";
import type {} from "@shopify/ui-extensions/pos.home.tile.render";
