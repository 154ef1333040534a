// The benchmark's floor: the member discount's two exports, doing nothing but
// what every function does (Shopify's run() reads the input and writes the
// output). Bundled and run exactly like src/index.ts (support/bundle.ts).
export function cartLinesDiscountsGenerateRun(_input: unknown) {
  return { operations: [] };
}

export function cartDeliveryOptionsDiscountsGenerateRun(_input: unknown) {
  return { operations: [] };
}
