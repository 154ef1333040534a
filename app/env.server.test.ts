import { InvalidEnvironmentError, parseEnv } from "./env.server";

describe("parseEnv", () => {
  it("names every missing or invalid variable in one message", () => {
    let error: unknown;
    try {
      parseEnv({ SHOPIFY_API_KEY: "key", SHOPIFY_APP_URL: "not a url", PORT: "-1", SHOPIFY_API_SECRET: "" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const message = (error as Error).message;
    expect(message).toMatch(/SHOPIFY_API_SECRET: missing/);
    expect(message).toMatch(/SHOPIFY_APP_URL: invalid/);
    expect(message).toMatch(/PORT: invalid/);
    expect(message).not.toMatch(/SHOPIFY_API_KEY/);
    expect(message).toMatch(/\.env\.example/);
  });

  it("fills defaults for the embedded setup", () => {
    const env = parseEnv({ SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example.com" });
    expect(env).toMatchObject({ DATABASE_URL: "file:./prisma/dev.sqlite", INBOX_WORKER_IN_PROCESS: true, WORKER_MAX_ATTEMPTS: 6, PORT: 3000 });
    expect(parseEnv({ SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://a.example", INBOX_WORKER_IN_PROCESS: "false" }).INBOX_WORKER_IN_PROCESS).toBe(false);
  });
});

describe("App Bridge and the local admin frame", () => {
  const base = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example.com" };

  it("loads App Bridge from Shopify's CDN and lets no other frame in, unless told", () => {
    const env = parseEnv(base);
    expect(env.APP_BRIDGE_URL).toBe("https://cdn.shopify.com/shopifycloud/app-bridge.js");
    expect(env.ADMIN_FRAME_ORIGIN).toBeUndefined();
  });

  it("takes a stand-in script and a frame origin for tests and the demo", () => {
    const env = parseEnv({ ...base, APP_BRIDGE_URL: "http://127.0.0.1:3100/app-bridge.js", ADMIN_FRAME_ORIGIN: "http://127.0.0.1:3100/" });
    expect(env.APP_BRIDGE_URL).toBe("http://127.0.0.1:3100/app-bridge.js");
    expect(env.ADMIN_FRAME_ORIGIN).toBe("http://127.0.0.1:3100");
  });

  it("refuses a frame origin with a path, and scripts or frames that are not http(s)", () => {
    expect(() => parseEnv({ ...base, ADMIN_FRAME_ORIGIN: "http://127.0.0.1:3100/admin" })).toThrow(/ADMIN_FRAME_ORIGIN: invalid \(an origin such as/);
    expect(() => parseEnv({ ...base, ADMIN_FRAME_ORIGIN: "javascript:alert(1)" })).toThrow(/ADMIN_FRAME_ORIGIN: invalid/);
    expect(() => parseEnv({ ...base, APP_BRIDGE_URL: "file:///tmp/app-bridge.js" })).toThrow(/APP_BRIDGE_URL: invalid/);
  });
});
