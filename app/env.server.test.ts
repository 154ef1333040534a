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
