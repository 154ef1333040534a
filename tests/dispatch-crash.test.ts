// Exactly-once dispatch (issue 8, docs/decisions/0008-care-dispatch.md): a
// dispatcher in its own process is SIGKILLed mid-batch, twice, and restarted;
// every planned message ends up sent once in our records and in the real SMTP
// inbox, and the only messages the wire carries twice are the ones the kill
// caught between "sending" and "sent", with the same Message-ID both times,
// so a receiver that deduplicates sees every message once.
//
// Each kill lands in the one window that can duplicate: the inbox has kept
// the message but not yet answered 250 when the test kills the sender, so the
// sender never learns it was taken. Kills are placed by the inbox's count,
// not by time.
import { spawn, type ChildProcess } from "node:child_process";
import db from "~/db.server";
import { saveCareSettings } from "~/models/care-settings.server";
import { planMessages, type PlannedMessage } from "~/models/messages.server";
import { saveShopSettings } from "~/models/shops.server";
import { messageIdFor } from "~/services/channels/email.server";
import { startSmtpInbox, type SmtpInbox } from "../tools/smtp-inbox";

const shop = "crash.myshopify.com";
// 12:00 in Shanghai, where every customer lives: outside quiet hours.
const T0 = new Date("2026-03-02T04:00:00Z");
const LEASE_MS = 5 * 60_000;
const CUSTOMERS = 1_500;
// Inbox counts at which the running dispatcher is killed: inside a claim of
// 100 (650 is the 50th of the 7th; the successor's 1,777th is mid-claim too).
const KILL_AT = [650, 1_777];

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

function startDispatcher(now: Date, smtpUrl: string): Promise<Running> {
  // Node itself with tsx as its loader: the tsx command would run the script
  // in a child of its own, which a SIGKILL to tsx leaves running.
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/dispatcher-child.ts"], {
    env: { ...process.env, DISPATCH_NOW: now.toISOString(), DISPATCH_LEASE_MS: String(LEASE_MS), DISPATCH_LIMIT: "100", SMTP_URL: smtpUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const check = () => {
      if (/dispatcher \d+ started/.test(output)) resolve({ child, output: () => output, exited });
    };
    child.stdout!.on("data", check);
    void exited.then(({ code, signal }) => reject(new Error(`the dispatcher exited (${code ?? signal}) before starting: ${output.slice(-2000)}`)));
  });
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Rows still to be decided or confirmed. */
const unfinished = () => db.message.count({ where: { shop, status: { in: ["scheduled", "deferred", "sending"] } } });

it("a dispatcher SIGKILLed mid-batch and restarted sends every message once in our records, loses none, and repeats on the wire only what it was sending, under the same Message-ID", { timeout: 600_000 }, async () => {
  await saveShopSettings(shop, { name: "Crash Tea", ianaTimezone: "Asia/Shanghai", currencyCode: "USD", primaryLocale: "en", scopes: null }, T0);
  // Caps that let every message go: each customer has one marketing message.
  await saveCareSettings(shop, { caps: [{ messages: 5, hours: 72 }], sender: { fromName: "Crash Tea", fromEmail: "care@crash.example" } });
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => String(700_000 + i));
  for (let i = 0; i < ids.length; i += 500) {
    await db.customer.createMany({
      data: ids.slice(i, i + 500).map((shopifyId) => ({ shop, shopifyId, firstName: `Ann${shopifyId}`, email: `c${shopifyId}@example.com`, timeZone: "Asia/Shanghai", emailConsentState: "SUBSCRIBED" })),
    });
  }
  // One marketing and one transactional message per customer, each due at its
  // own moment so the claim order (oldest first) is fixed.
  const planned: PlannedMessage[] = ids.flatMap((customerShopifyId, i) =>
    (["marketing", "transactional"] as const).map((messageClass, j) => ({
      customerShopifyId,
      idempotencyKey: `${messageClass === "marketing" ? "winBack:atRisk" : "postDelivery:deliveryCheck"}:${customerShopifyId}`,
      source: "flow" as const,
      sourceId: messageClass === "marketing" ? "winBack" : "postDelivery",
      step: messageClass === "marketing" ? "atRisk" : "deliveryCheck",
      channel: "email" as const,
      messageClass,
      priority: messageClass === "marketing" ? 50 : 10,
      variables: { productTitle: "Oolong" },
      plannedAt: new Date(T0.getTime() - 3_600_000 + (2 * i + j) * 1000),
      expiresAt: new Date(T0.getTime() + 7 * 24 * 3_600_000),
    })),
  );
  expect(await planMessages(shop, planned, T0)).toBe(planned.length);
  const keyByMessageId = new Map(planned.map((message) => [messageIdFor(shop, message.idempotencyKey), message]));

  // The inbox kills the running dispatcher when it holds the chosen count,
  // before answering: the message is delivered, its sender never hears so.
  let victim: { running: Running; at: number; killed: (messageId: string) => void } | null = null;
  const inbox: SmtpInbox = await startSmtpInbox({
    onMessage: async (message) => {
      if (!victim || message.id < victim.at) return;
      const { running, killed } = victim;
      victim = null;
      running.child.kill("SIGKILL");
      await running.exited;
      killed(message.headers["message-id"]);
    },
  });

  try {
    const sendingAtKills: string[][] = [];
    const killedOn: string[] = [];
    let now = T0;
    for (const at of KILL_AT) {
      const running = await startDispatcher(now, inbox.smtpUrl);
      const killedMessageId = await new Promise<string>((resolve, reject) => {
        victim = { running, at, killed: resolve };
        void running.exited.then(({ signal }) => signal !== "SIGKILL" && reject(new Error(`the dispatcher stopped on its own: ${running.output().slice(-2000)}`)));
      });
      expect((await running.exited).signal).toBe("SIGKILL");
      killedOn.push(killedMessageId);
      // Mid-batch: the dead claim still holds rows it never decided, and the
      // one it was sending is left "sending".
      expect(await db.message.count({ where: { shop, status: "scheduled", leaseOwner: { not: null } } })).toBeGreaterThan(0);
      const sending = await db.message.findMany({ where: { shop, status: "sending" }, select: { idempotencyKey: true } });
      sendingAtKills.push(sending.map((row) => row.idempotencyKey));
      expect(await db.message.count({ where: { shop, status: "sent" } })).toBeLessThan(planned.length);
      // The successor starts after the dead one's leases have run out.
      now = new Date(now.getTime() + LEASE_MS + 60_000);
    }

    const last = await startDispatcher(now, inbox.smtpUrl);
    for (;;) {
      if (last.child.exitCode !== null) throw new Error(`the last dispatcher stopped: ${last.output().slice(-2000)}`);
      if ((await unfinished()) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    last.child.kill("SIGTERM");
    expect((await last.exited).code).toBe(0);

    // Each kill left "sending" the message it caught, the one the inbox held
    // unanswered, and nothing else but an earlier kill's not yet sent again
    // (in-doubt rows are due from the moment they were marked, so they come
    // after the rows planned before it).
    sendingAtKills.forEach((keys, k) => {
      const ids = keys.map((key) => messageIdFor(shop, key));
      expect(ids).toContain(killedOn[k]);
      expect(killedOn.slice(0, k + 1)).toEqual(expect.arrayContaining(ids));
    });
    const inDoubt = new Set(sendingAtKills.flat());
    expect([...inDoubt].map((key) => messageIdFor(shop, key)).sort()).toEqual([...killedOn].sort());

    // Our records: every message sent once, with its one "sent" decision.
    const rows = await db.message.findMany({ where: { shop }, select: { id: true, idempotencyKey: true, status: true, attempts: true, sentAt: true, providerMessageId: true } });
    expect(rows).toHaveLength(planned.length);
    for (const row of rows) {
      expect({ key: row.idempotencyKey, status: row.status, attempts: row.attempts, providerMessageId: row.providerMessageId }).toEqual({
        key: row.idempotencyKey,
        status: "sent",
        // The in-doubt ones were attempted twice (the kill's and the resend).
        attempts: inDoubt.has(row.idempotencyKey) ? 2 : 1,
        providerMessageId: messageIdFor(shop, row.idempotencyKey),
      });
      expect(row.sentAt).not.toBeNull();
    }
    const decisions = await db.messageDecision.groupBy({ by: ["messageId", "decision"], where: { shop }, _count: { _all: true } });
    expect(decisions.filter((entry) => entry.decision === "sent" && entry._count._all === 1)).toHaveLength(planned.length);
    expect(decisions.filter((entry) => entry._count._all !== 1 || !["planned", "sent"].includes(entry.decision))).toEqual([]);
    const inDoubtIds = rows.filter((row) => inDoubt.has(row.idempotencyKey)).map((row) => row.id);
    const resent = await db.messageDecision.findMany({ where: { shop, decision: "sent", messageId: { in: inDoubtIds } } });
    expect(resent.map((entry) => (JSON.parse(entry.detail) as { resent?: boolean }).resent)).toEqual(inDoubtIds.map(() => true));

    // The wire: every message arrived, to its own customer; the only repeats
    // are the in-doubt ones, each twice under one Message-ID.
    const deliveries = new Map<string, number>();
    for (const mail of inbox.messages) {
      const id = mail.headers["message-id"];
      const message = keyByMessageId.get(id);
      expect(message, `unexpected Message-ID ${id}`).toBeDefined();
      expect(mail.to).toEqual([`c${message!.customerShopifyId}@example.com`]);
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    }
    expect(deliveries.size).toBe(planned.length);
    const repeated = [...deliveries].filter(([, count]) => count > 1);
    expect(new Map(repeated)).toEqual(new Map([...inDoubt].map((key) => [messageIdFor(shop, key), 2])));
    expect(inbox.messages).toHaveLength(planned.length + KILL_AT.length);
  } finally {
    await inbox.close();
  }
});
