// The app's Shopify Flow triggers: each extension's TOML and the payload the
// app sends for it agree field for field, the simulator knows the same
// handles, and the Flow channel starts them through flowTriggerReceive
// (checked against the 2026-10 schema by the simulator), ids sent exactly.
import fs from "node:fs";
import path from "node:path";
import toml from "toml";
import { FLOW_TRIGGER_HANDLES, REFERENCE_KEYS, flowTriggerFor, type FlowTriggerInput } from "~/domain/care/flow-triggers";
import { AdminRequestError, createAdminClient, type AdminClient } from "~/services/admin-client.server";
import { flowChannel } from "~/services/channels/flow.server";
import type { OutgoingMessage } from "~/services/channels/types";
import { TransientChannelError } from "~/services/channels/types";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { DEFAULT_FLOW_TRIGGER_HANDLES } from "../tools/simulator/state";

interface TriggerToml {
  extensions: Array<{ name: string; type: string; handle: string; description?: string }>;
  settings: { fields: Array<{ type: string; key?: string; description?: string }> };
}

const extensionsDir = path.resolve(__dirname, "../extensions");
const triggers = fs
  .readdirSync(extensionsDir)
  .map((dir) => path.join(extensionsDir, dir, "shopify.extension.toml"))
  .filter((file) => fs.existsSync(file))
  .map((file) => ({ file, config: toml.parse(fs.readFileSync(file, "utf8")) as TriggerToml }))
  .filter(({ config }) => config.extensions?.[0]?.type === "flow_trigger");

/** The payload keys a trigger's TOML declares: reference fields by Shopify's fixed names, the rest by key. */
const declaredKeys = (config: TriggerToml) =>
  config.settings.fields.map((field) => (field.type in REFERENCE_KEYS ? REFERENCE_KEYS[field.type as keyof typeof REFERENCE_KEYS] : field.key!)).sort();

// Custom field types Flow triggers take (https://shopify.dev/docs/apps/build/flow/triggers/reference).
const FIELD_TYPES = new Set(["customer_reference", "order_reference", "product_reference", "single_line_text_field", "multi_line_text_field", "number_integer", "number_decimal", "boolean", "email", "url", "date", "date_time"]);

const input = (overrides: Partial<FlowTriggerInput>): FlowTriggerInput => ({
  flow: "winBack",
  step: "atRisk",
  customerShopifyId: "9007199254740993",
  orderShopifyId: null,
  messageClass: "marketing",
  idempotencyKey: "winBack:atRisk:9007199254740993:2026-11",
  locale: "zh-CN",
  variables: { tierName: "金卡", perks: "9折 · 包邮", tierGift: null, productTitles: "真丝枕套, 眼罩", trackingUrl: "https://track.example/1Z", orderName: "#1001" },
  rendered: { subject: "好久不见", text: "小明您好……", sms: "【枫叶】好久不见" },
  ...overrides,
});

/** One touch per trigger, as the dispatcher would hand them over. */
const samples: Record<string, FlowTriggerInput> = {
  "member-delivered": input({ flow: "postDelivery", step: "deliveryCheck", orderShopifyId: "9007199254740995", messageClass: "transactional" }),
  "member-tier-changed": input({ flow: "tierUpgrade", step: "congratulations" }),
  "care-touch-due": input({}),
};

describe("the trigger extensions", () => {
  it("are the three the app sends, and the ones the store simulator has deployed", () => {
    const handles = triggers.map(({ config }) => config.extensions[0]!.handle).sort();
    expect(handles).toEqual([...FLOW_TRIGGER_HANDLES].sort());
    expect([...DEFAULT_FLOW_TRIGGER_HANDLES].sort()).toEqual(handles);
    // Folder names follow the handle, so a reader finds each one.
    for (const { file, config } of triggers) expect(path.basename(path.dirname(file))).toBe(`flow-${config.extensions[0]!.handle}`);
  });

  it.each(triggers.map(({ file, config }) => [path.basename(path.dirname(file)), config] as const))("%s is a valid flow_trigger configuration", (_dir, config) => {
    expect(config.extensions).toHaveLength(1);
    const [extension] = config.extensions;
    expect(extension!.handle).toMatch(/^[a-z0-9-]{1,30}$/);
    expect(extension!.name.length).toBeGreaterThan(0);
    expect(extension!.description?.length).toBeGreaterThan(0);
    for (const field of config.settings.fields) {
      expect(FIELD_TYPES.has(field.type), field.type).toBe(true);
      // Reference fields have Shopify's fixed names; every other field needs a key.
      if (!(field.type in REFERENCE_KEYS)) expect(field.key, JSON.stringify(field)).toBeTruthy();
    }
    const keys = declaredKeys(config);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(Object.keys(samples))("%s: the payload carries exactly the fields its TOML declares", (handle) => {
    const config = triggers.find(({ config }) => config.extensions[0]!.handle === handle)!.config;
    const trigger = flowTriggerFor(samples[handle]!);
    expect(trigger.handle).toBe(handle);
    expect(Object.keys(trigger.payload).sort()).toEqual(declaredKeys(config));
    for (const [key, value] of Object.entries(trigger.payload)) {
      // References are ids (digits, sent as numbers); everything else is text, never null.
      if (Object.values(REFERENCE_KEYS).includes(key as never)) expect(value).toMatch(/^\d+$/);
      else expect(typeof value).toBe("string");
    }
  });

  it("picks the trigger by flow and step, and falls back to Care touch due", () => {
    expect(flowTriggerFor(samples["member-delivered"]!).payload).toMatchObject({ customer_id: "9007199254740993", order_id: "9007199254740995", "Tier name": "金卡", Products: "真丝枕套, 眼罩", "Tracking URL": "https://track.example/1Z", Language: "zh-CN" });
    expect(flowTriggerFor(samples["member-tier-changed"]!).payload).toMatchObject({ "Tier name": "金卡", Perks: "9折 · 包邮", "Tier gift": "" });
    expect(flowTriggerFor(samples["care-touch-due"]!).payload).toMatchObject({ "Care flow": "winBack", "Care step": "atRisk", "Message class": "marketing", "Order name": "#1001", Subject: "好久不见", "Message key": "winBack:atRisk:9007199254740993:2026-11" });
    // The delivery check without an order (no order to reference) is an ordinary care touch.
    expect(flowTriggerFor(input({ flow: "postDelivery", step: "deliveryCheck", orderShopifyId: null })).handle).toBe("care-touch-due");
    expect(flowTriggerFor(input({ flow: "postDelivery", step: "usageTips", orderShopifyId: "1" })).handle).toBe("care-touch-due");
  });
});

describe("the Flow channel", () => {
  const shop = "flow-channel.myshopify.com";
  const noTriggers = "flow-none.myshopify.com";
  let simulator: StoreSimulator;
  let unroute: () => void;
  const sentBodies: string[] = [];

  beforeAll(async () => {
    simulator = await startStoreSimulator({ clock: () => Date.parse("2026-11-20T08:00:00Z") });
    unroute = installShopRouting(simulator.url);
    simulator.addShop({ shop, accessToken: "shpat_flow_channel" });
    simulator.addShop({ shop: noTriggers, accessToken: "shpat_flow_none", flowTriggerHandles: [] });
  });
  afterAll(async () => {
    unroute();
    await simulator.close();
  });

  // The real client, recording the variables as they go on the wire.
  const adminFor = async (domain: string): Promise<AdminClient> => {
    const client = createAdminClient({ shop: domain, accessToken: simulator.state.shop(domain).accessToken, apiVersion: "2026-10" });
    return {
      shop: domain,
      request: (query, variables) => {
        sentBodies.push(JSON.stringify(variables));
        return client.request(query, variables);
      },
    };
  };

  const outgoing = (domain: string, trigger = flowTriggerFor(samples["member-delivered"]!)): OutgoingMessage => ({
    shop: domain,
    messageId: "m1",
    idempotencyKey: "postDelivery:deliveryCheck:77",
    channel: "flow",
    messageClass: "transactional",
    customer: { shopifyId: "9007199254740993", email: null, phone: null, firstName: null, lastName: null, locale: "zh-CN" },
    rendered: { subject: "", text: "", html: "", sms: "" },
    sender: { fromName: "", fromEmail: "", replyTo: null, smsFrom: null },
    unsubscribeUrl: null,
    flow: trigger,
  });

  it("starts the merchant's workflow with the payload, ids written as exact JSON numbers", async () => {
    const result = await flowChannel({ adminFor }).send(outgoing(shop));
    expect(result).toEqual({ status: "accepted", providerMessageId: "flow:member-delivered:postDelivery:deliveryCheck:77" });
    const received = simulator.state.shop(shop).flowTriggers.at(-1)!;
    expect(received.handle).toBe("member-delivered");
    expect(received.payload).toMatchObject({ "Tier name": "金卡", Language: "zh-CN", "Message key": samples["member-delivered"]!.idempotencyKey });
    // Past 2^53 a JavaScript number would name another customer: the wire carries every digit.
    expect(sentBodies.at(-1)).toContain('"customer_id":9007199254740993');
    expect(sentBodies.at(-1)).toContain('"order_id":9007199254740995');
  });

  it("sends ids in the safe range as plain numbers", async () => {
    const small = flowTriggerFor({ ...samples["member-tier-changed"]!, customerShopifyId: "800001" });
    expect((await flowChannel({ adminFor }).send(outgoing(shop, small))).status).toBe("accepted");
    expect(simulator.state.shop(shop).flowTriggers.at(-1)!.payload).toMatchObject({ customer_id: 800001, "Tier name": "金卡" });
  });

  it("answers rejected with Shopify's message when the shop does not have the trigger", async () => {
    expect(await flowChannel({ adminFor }).send(outgoing(noTriggers))).toEqual({ status: "rejected", reason: "Flow trigger member-delivered: Trigger 'member-delivered' was not found for this app" });
    expect(simulator.state.shop(noTriggers).flowTriggers).toEqual([]);
    expect(await flowChannel({ adminFor }).send({ ...outgoing(shop), flow: null })).toEqual({ status: "rejected", reason: "no Flow trigger for this message" });
  });

  it("throws when Shopify cannot be reached or throttles, so the touch is retried", async () => {
    const unreachable = flowChannel({ adminFor: async () => ({ shop, request: async () => Promise.reject(new AdminRequestError("Admin API unreachable")) }) });
    await expect(unreachable.send(outgoing(shop))).rejects.toThrow(TransientChannelError);
    const throttled = flowChannel({ adminFor: async () => ({ shop, request: async <T,>() => ({ errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] }) as { data?: T } }) });
    await expect(throttled.send(outgoing(shop))).rejects.toThrow(/THROTTLED/);
  });
});
