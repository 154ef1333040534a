import { parseEnv } from "~/env.server";
import { tokenEncryptionKeys, unsubscribeSigningKeys } from "./keys.server";

const base = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "secret-one", SHOPIFY_APP_URL: "https://app.example.com" };

describe("key rings without configured keys (development and tests)", () => {
  it("derive one stable key per use from the app secret, never the secret itself, and warn in development", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const dev = parseEnv({ ...base, NODE_ENV: "development" });
      const tokens = tokenEncryptionKeys(dev);
      expect(tokens.current.id).toBe("dev");
      expect(tokens.current.secret).toHaveLength(32);
      // Every process of one machine derives the same key (web, worker, CLI) ...
      expect(tokenEncryptionKeys(parseEnv({ ...base, NODE_ENV: "test" })).current.secret).toEqual(tokens.current.secret);
      // ... a different one for each use and each app secret.
      expect(unsubscribeSigningKeys(dev).current.secret).not.toEqual(tokens.current.secret);
      expect(tokenEncryptionKeys(parseEnv({ ...base, SHOPIFY_API_SECRET: "secret-two" })).current.secret).not.toEqual(tokens.current.secret);
      expect(tokens.current.secret.toString("utf8")).not.toContain("secret-one");
      expect(warn.mock.calls.flat().join("\n")).toMatch(/TOKEN_ENCRYPTION_KEYS is not set: using a development key derived from SHOPIFY_API_SECRET/);
    } finally {
      warn.mockRestore();
    }
  });

  it("use the configured ring when there is one", () => {
    const configured = parseEnv({ ...base, NODE_ENV: "production", TOKEN_ENCRYPTION_KEYS: `t9:${Buffer.alloc(32, 9).toString("base64")}`, UNSUBSCRIBE_SIGNING_KEYS: `u9:${Buffer.alloc(40, 4).toString("base64")}` });
    expect(tokenEncryptionKeys(configured).current).toEqual({ id: "t9", secret: Buffer.alloc(32, 9) });
    expect(unsubscribeSigningKeys(configured).current).toEqual({ id: "u9", secret: Buffer.alloc(40, 4) });
  });
});
