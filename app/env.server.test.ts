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

describe("the app's own keys (issue 18)", () => {
  const base = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example.com" };
  const key = (fill: number) => Buffer.alloc(32, fill).toString("base64");

  it("are required in production, each named with how to make one", () => {
    let message = "";
    try {
      parseEnv({ ...base, NODE_ENV: "production" });
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEnvironmentError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/TOKEN_ENCRYPTION_KEYS: missing \(required in production: .*openssl rand -base64 32/);
    expect(message).toMatch(/UNSUBSCRIBE_SIGNING_KEYS: missing \(required in production/);
    // Named together with any other problem, in one message.
    expect(() => parseEnv({ ...base, NODE_ENV: "production", PORT: "-1" })).toThrow(/PORT: invalid[\s\S]*TOKEN_ENCRYPTION_KEYS: missing/);
    const env = parseEnv({ ...base, NODE_ENV: "production", TOKEN_ENCRYPTION_KEYS: `t2:${key(2)},t1:${key(1)}`, UNSUBSCRIBE_SIGNING_KEYS: `u1:${key(3)}` });
    expect(env.TOKEN_ENCRYPTION_KEYS?.current.id).toBe("t2");
    expect([...env.TOKEN_ENCRYPTION_KEYS!.byId.keys()]).toEqual(["t2", "t1"]);
    expect(env.UNSUBSCRIBE_SIGNING_KEYS?.current.secret).toEqual(Buffer.alloc(32, 3));
  });

  it("may be left out in development and tests (a key is derived then)", () => {
    expect(parseEnv({ ...base, NODE_ENV: "development" }).TOKEN_ENCRYPTION_KEYS).toBeUndefined();
    expect(parseEnv({ ...base, NODE_ENV: "test" }).UNSUBSCRIBE_SIGNING_KEYS).toBeUndefined();
  });

  it("refuse a malformed ring without echoing the key", () => {
    const short = Buffer.alloc(16, 7).toString("base64");
    let message = "";
    try {
      parseEnv({ ...base, TOKEN_ENCRYPTION_KEYS: `t1:${short}` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/TOKEN_ENCRYPTION_KEYS: invalid \(key t1 is 16 bytes, not 32/);
    expect(message).not.toContain(short);
    expect(() => parseEnv({ ...base, UNSUBSCRIBE_SIGNING_KEYS: key(1) })).toThrow(/UNSUBSCRIBE_SIGNING_KEYS: invalid \(entry 1 is not kid:base64key/);
  });
});
