// The bundle Shopify CLI would hand to Javy: small, free of the app's code and
// of zod, and writing under Shopify's 20 kB output limit for a 200-line cart.
import type { CartLinesDiscountsGenerateRunResult } from "../generated/api";
import type { MembershipValue } from "../src/membership";
import { bundleMemberDiscount, type FunctionBundle } from "./support/bundle";
import { goldMember, largeCart } from "./support/carts";
import { runInQuickJS } from "./support/quickjs";

/** Shopify's limit on a Function's output for carts of up to 200 lines (1 kB = 1000 bytes). */
const OUTPUT_LIMIT_BYTES = 20_000;
/**
 * Our budget for dist/function.js. Javy compiles it to QuickJS bytecode inside
 * a Wasm module limited to 256 kB; today's bundle is about 8.5 kB, so this
 * trips on a dependency pulled in by mistake (zod alone is several times larger).
 */
const BUNDLE_BUDGET_BYTES = 16_000;

let bundle: FunctionBundle;
beforeAll(async () => {
  bundle = await bundleMemberDiscount();
});

describe("the bundle", () => {
  it(`stays within ${BUNDLE_BUDGET_BYTES} bytes`, () => {
    expect(bundle.bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
    expect(bundle.gzipBytes).toBeLessThan(bundle.bytes);
  });

  it("holds the Function's code and Shopify's run(), and nothing of the app or zod", () => {
    expect(bundle.code).toContain("// node_modules/@shopify/shopify_function/run.ts");
    expect(bundle.code).toContain("// extensions/member-discount/src/");
    expect(bundle.code).not.toMatch(/node_modules\/zod|\/app\/domain\//);
  });

  it("exports one function per target, as the TOML's exports in camelCase", () => {
    expect(bundle.code).toMatch(/export \{[^}]*\bcartLinesDiscountsGenerateRun\b[^}]*\}/);
    expect(bundle.code).toMatch(/export \{[^}]*\bcartDeliveryOptionsDiscountsGenerateRun\b[^}]*\}/);
  });
});

describe("a 200-line cart, run in QuickJS", () => {
  const output = async (membership: MembershipValue, excluded?: (index: number) => boolean) => {
    const run = await runInQuickJS(bundle.code, "cartLinesDiscountsGenerateRun", largeCart(200, { membership, excluded }));
    const [operation] = (run.output as CartLinesDiscountsGenerateRunResult).operations;
    return { operation, bytes: run.outputBytes };
  };

  it("writes under Shopify's 20 kB output limit with every line discounted (products scope: one target per line)", async () => {
    const { operation, bytes } = await output(goldMember({ scope: "products" }));
    expect(operation.productDiscountsAdd?.candidates[0].targets).toHaveLength(200);
    expect(bytes).toBeLessThan(OUTPUT_LIMIT_BYTES);
  });

  it("writes under Shopify's 20 kB output limit with all but one line excluded (subtotal scope: one excluded id per line)", async () => {
    const { operation, bytes } = await output(goldMember(), (index) => index > 0);
    expect(operation.orderDiscountsAdd?.candidates[0].targets[0].orderSubtotal?.excludedCartLineIds).toHaveLength(199);
    expect(bytes).toBeLessThan(OUTPUT_LIMIT_BYTES);
  });
});
