// shopify.app.toml: the metafield checkout reads, and the topics the app handles and the routes that receive them
// must agree: a subscription nobody handles, or a route Shopify never calls,
// would lose events silently.
import fs from "node:fs";
import path from "node:path";
import { COMPLIANCE_TOPICS, SUBSCRIBED_TOPICS } from "~/domain/webhook-topics";

interface Subscription {
  topics: string[];
  compliance: boolean;
  uri: string;
}

function subscriptions(): Subscription[] {
  const toml = fs.readFileSync(path.resolve("shopify.app.toml"), "utf8");
  return toml
    .split("[[webhooks.subscriptions]]")
    .slice(1)
    .map((block) => {
      const list = /(compliance_topics|topics)\s*=\s*\[([^\]]*)\]/.exec(block)!;
      return {
        compliance: list[1] === "compliance_topics",
        topics: [...list[2].matchAll(/"([^"]+)"/g)].map((m) => m[1]),
        uri: /uri\s*=\s*"([^"]+)"/.exec(block)![1],
      };
    });
}

it("subscribes to exactly the topics the app handles, at API version 2026-10", () => {
  const subs = subscriptions();
  expect(subs.filter((s) => !s.compliance).flatMap((s) => s.topics).sort()).toEqual([...SUBSCRIBED_TOPICS].sort());
  expect(subs.filter((s) => s.compliance).flatMap((s) => s.topics).sort()).toEqual([...COMPLIANCE_TOPICS].sort());
  expect(fs.readFileSync("shopify.app.toml", "utf8")).toMatch(/\[webhooks\]\s*\napi_version = "2026-10"/);
});

it("sends each subscription to a route that accepts all of its topics", async () => {
  for (const sub of subscriptions()) {
    const file = `app/routes/${sub.uri.slice(1).replace(/\//g, ".")}.tsx`;
    expect(fs.existsSync(file), `${sub.uri} → ${file}`).toBe(true);
    const route = (await import(/* @vite-ignore */ path.resolve(file))) as { TOPICS: readonly string[] };
    expect([...route.TOPICS].sort(), file).toEqual([...sub.topics].sort());
    expect(fs.readFileSync(file, "utf8"), file).toContain(`// Handles: ${route.TOPICS.join(", ")}`);
  }
});

it("declares the membership metafield checkout reads, as JSON in the app's namespace", () => {
  const toml = fs.readFileSync(path.resolve("shopify.app.toml"), "utf8");
  const block = /\[customer\.metafields\.app\.membership\]([^[]*)/.exec(toml)?.[1] ?? "";
  expect(block).toMatch(/^type = "json"$/m);
  expect(block).toMatch(/^access\.admin = "merchant_read"$/m);
  expect(block).toMatch(/^access\.customer_account = "read"$/m);
});
