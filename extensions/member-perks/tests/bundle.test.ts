// The JavaScript Shopify CLI would upload for these extensions, built as the CLI builds it,
// within our budget and holding nothing but our code and Preact:
// tests/support/ui-extension-bundle.ts.
import { describeUiExtensionBundles } from "../../../tests/support/ui-extension-bundle";
import { EXTENSION_DIR } from "./support";

describeUiExtensionBundles(EXTENSION_DIR);
