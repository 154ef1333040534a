// The Function's entry: Shopify CLI bundles a module that calls each export
// named in shopify.extension.toml (kebab-case there, camelCase here) through
// @shopify/shopify_function's run(), which reads the input and writes the output.
export * from "./cart_lines_discounts_generate_run";
export * from "./cart_delivery_options_discounts_generate_run";
