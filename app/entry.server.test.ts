import { applyAdminFrameSettings } from "./entry.server";
import { SHOPIFY_APP_BRIDGE_URL } from "./env.server";

// The headers Shopify's library sets on an embedded document for shop.myshopify.com.
const shopifyHeaders = () =>
  new Headers({
    Link: `<${SHOPIFY_APP_BRIDGE_URL}>; rel="preload"; as="script";`,
    "Content-Security-Policy": "frame-ancestors https://shop.myshopify.com https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev;",
  });

describe("applyAdminFrameSettings", () => {
  it("leaves Shopify's headers as they are by default", () => {
    const headers = shopifyHeaders();
    applyAdminFrameSettings(headers, { APP_BRIDGE_URL: SHOPIFY_APP_BRIDGE_URL, ADMIN_FRAME_ORIGIN: undefined });
    expect(Object.fromEntries(headers)).toEqual(Object.fromEntries(shopifyHeaders()));
  });

  it("preloads the configured App Bridge and lets the local admin frame embed the page", () => {
    const headers = shopifyHeaders();
    applyAdminFrameSettings(headers, { APP_BRIDGE_URL: "http://127.0.0.1:3100/app-bridge.js", ADMIN_FRAME_ORIGIN: "http://127.0.0.1:3100" });
    expect(headers.get("Link")).toBe('<http://127.0.0.1:3100/app-bridge.js>; rel="preload"; as="script";');
    expect(headers.get("Content-Security-Policy")).toBe(
      "frame-ancestors https://shop.myshopify.com https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev http://127.0.0.1:3100;",
    );
  });

  it("never opens a page Shopify closed to every frame", () => {
    const headers = new Headers({ "Content-Security-Policy": "frame-ancestors 'none';" });
    applyAdminFrameSettings(headers, { APP_BRIDGE_URL: SHOPIFY_APP_BRIDGE_URL, ADMIN_FRAME_ORIGIN: "http://127.0.0.1:3100" });
    expect(headers.get("Content-Security-Policy")).toBe("frame-ancestors 'none';");
  });
});

describe("withoutNulBytes", () => {
  it("drops the NUL padding React leaves between whole multi-byte characters, and nothing else", async () => {
    const { withoutNulBytes } = await import("./entry.server");
    const stream = withoutNulBytes();
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    const text = "<p>会员等级 · Members</p>";
    const bytes = Buffer.from(text);
    stream.write(Buffer.concat([bytes.subarray(0, 7), Buffer.alloc(3), bytes.subarray(7)]));
    stream.end(Buffer.from("<p>plain</p>"));
    await new Promise((resolve) => stream.on("end", resolve));
    expect(Buffer.concat(chunks).toString("utf8")).toBe(`${text}<p>plain</p>`);
  });
});
