// MemberCare ops CLI: `npm run cli -- <command> [options]`.
//
//   member show --shop S --customer ID [--json]   the member file as the app sees it
//   inbox status --shop S [--json]                counts by status, failed rows with reasons
//   inbox retry --shop S [--id N ...]             re-queue failed rows (all, or the ids given)
//   inbox drain                                   process every due inbox row now
//   export --shop S --customer ID                 the customer's data export (JSON)
//   tiers sweep --shop S                          run the tier downgrade sweep now
//   tiers status --shop S                         members per tier, sync to Shopify, the last history import,
//                                                 the current review's warnings and downgrades without one
//   tiers backfill --shop S                       queue a history import (the worker runs it)
//   intel classify --shop S                       classify the shop's customers now (RFM, value class, cadence, lifecycle)
//   intel show --shop S --customer ID             a member's stored classification
//   jobs status [--json]                          every background job (app/jobs/registry.server.ts): due, due shops
//                                                 (periodic), running, failed, lag, last run, last error
//   tokens reencrypt                              seal every stored Shopify token under the current
//                                                 TOKEN_ENCRYPTION_KEYS key (plaintext rows, and rows
//                                                 of an older key after a rotation); lists rows that
//                                                 do not open (exit 3) and leaves them as they are
//
// Exit codes: 0 done, 1 nothing found, 2 usage error, 3 unexpected failure.
import { parseArgs } from "node:util";
import { formatJobsStatus, jobsStatus } from "~/jobs/status.server";
import { findMember } from "~/models/customers.server";
import { inboxLag, inboxStatusCounts, listFailedInboxEvents, retryInboxEvents } from "~/models/inbox.server";
import { listDataRequests } from "~/models/privacy.server";
import { drainInbox } from "~/services/inbox-worker.server";
import { membersDowngradedWithoutWarning } from "~/services/membership-warnings.server";
import { exportCustomer } from "~/services/privacy.server";
import { requestBackfill } from "~/services/backfill.server";
import { sweepShop, tiersOverview } from "~/services/tiers.server";
import { memberClassification } from "~/models/intelligence.server";
import { systemClock } from "~/services/clock.server";
import { classifyShop } from "~/services/intelligence.server";
import { tokenEncryptionKeys } from "~/services/keys.server";
import { reencryptSessionTokens } from "~/services/session-storage.server";

export const EXIT = { ok: 0, notFound: 1, usage: 2, failure: 3 } as const;

class UsageError extends Error {}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `usage: npm run cli -- <command>
  member show --shop S --customer ID [--json]
  inbox status --shop S [--json]
  inbox retry --shop S [--id N ...]
  inbox drain
  export --shop S --customer ID
  tiers sweep --shop S
  tiers status --shop S
  tiers backfill --shop S
  intel classify --shop S
  intel show --shop S --customer ID
  jobs status [--json]
  tokens reencrypt`;

function json(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`missing --${flag}`);
  return value;
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        shop: { type: "string" },
        customer: { type: "string" },
        id: { type: "string", multiple: true },
        json: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const { positionals, values } = parsed;
  const command = positionals.join(" ");
  try {
    switch (command) {
      case "member show": {
        const shop = required(values.shop, "shop");
        const member = await findMember(shop, required(values.customer, "customer"));
        if (!member) {
          io.err(`no member ${values.customer} in ${shop}`);
          return EXIT.notFound;
        }
        const file = { ...member, orderGapsDays: JSON.parse(member.orderGapsDays) as number[] };
        if (values.json) io.out(json(file));
        else {
          io.out(`${[member.firstName, member.lastName].filter(Boolean).join(" ") || "(no name)"} <${member.email ?? "no email"}>  customer ${member.shopifyId}`);
          io.out(`orders ${member.orderCount}, net spend ${member.netSpentMinor} (minor units ${member.currencyCode ?? ""}), last order ${member.lastOrderAt?.toISOString() ?? "never"}`);
          io.out(`email consent ${member.emailConsentState ?? "unknown"}, sms consent ${member.smsConsentState ?? "unknown"}${member.deletedAt ? `, deleted ${member.deletedAt.toISOString()}` : ""}`);
        }
        return EXIT.ok;
      }
      case "inbox status": {
        const shop = required(values.shop, "shop");
        const [counts, failed, lagMs] = await Promise.all([inboxStatusCounts(shop), listFailedInboxEvents(shop, 50), inboxLag(shop, new Date())]);
        if (values.json) io.out(json({ shop, counts, lagMs, failed }));
        else {
          io.out(Object.entries(counts).map(([status, count]) => `${status} ${count}`).join(", ") + `; oldest waiting ${Math.round(lagMs / 1000)} s`);
          for (const row of failed) io.out(`failed #${row.id} ${row.topic} (${row.webhookId}), ${row.attempts} attempts: ${row.lastError}`);
        }
        return EXIT.ok;
      }
      case "inbox retry": {
        const shop = required(values.shop, "shop");
        const ids = values.id?.map((id) => {
          const n = Number(id);
          if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--id must be a row number, got ${id}`);
          return n;
        });
        const count = await retryInboxEvents(shop, ids);
        io.out(`re-queued ${count} failed event${count === 1 ? "" : "s"}`);
        return count === 0 ? EXIT.notFound : EXIT.ok;
      }
      case "inbox drain": {
        const result = await drainInbox({ log: io.err });
        io.out(json(result));
        return EXIT.ok;
      }
      case "export": {
        const shop = required(values.shop, "shop");
        const customer = required(values.customer, "customer");
        const [latest] = await listDataRequests(shop, customer);
        const exported = latest ? JSON.parse(latest.export) : await exportCustomer(shop, { customerShopifyId: customer, email: null, orderShopifyIds: [], requestShopifyId: null }, new Date());
        if (!exported.member && exported.orders.length === 0) {
          io.err(`MemberCare holds nothing on customer ${customer} in ${shop}`);
          return EXIT.notFound;
        }
        io.out(json(exported));
        return EXIT.ok;
      }
      case "tiers sweep": {
        io.out(json(await sweepShop(required(values.shop, "shop"), new Date())));
        return EXIT.ok;
      }
      case "tiers status": {
        const shop = required(values.shop, "shop");
        const overview = await tiersOverview(shop);
        if (!overview.program && !overview.backfill) {
          io.err(`${shop} has no tier program and no history import`);
          return EXIT.notFound;
        }
        // The current review (ADR 0011), and the promise's audit: downgrades without a warning that had reached the member (must be none).
        const unwarned = await membersDowngradedWithoutWarning(shop);
        io.out(json({ shop, counts: overview.counts, pendingFrom: overview.pending?.from ?? null, historySource: overview.historySource, sync: overview.sync, syncEffect: overview.syncEffect, storefront: overview.storefront, backfill: overview.backfill, review: overview.review, downgradedWithoutWarning: unwarned.length }));
        return EXIT.ok;
      }
      case "tiers backfill": {
        const backfill = await requestBackfill(required(values.shop, "shop"), new Date());
        io.out(`history import ${backfill.id}: ${backfill.status}`);
        return EXIT.ok;
      }
      case "intel classify": {
        // Outside the nightly claim: the next sweep still runs tonight as usual.
        io.out(json(await classifyShop(required(values.shop, "shop"), systemClock.now())));
        return EXIT.ok;
      }
      case "intel show": {
        const shop = required(values.shop, "shop");
        const member = await memberClassification(shop, required(values.customer, "customer"));
        if (!member) {
          io.err(`no member ${values.customer} in ${shop}`);
          return EXIT.notFound;
        }
        io.out(json({ ...member, orderGapsDays: JSON.parse(member.orderGapsDays) as number[] }));
        return EXIT.ok;
      }
      case "jobs status": {
        // The process's clock (the demo's, when it moved it; else the system's).
        const rows = await jobsStatus(systemClock.now());
        if (values.json) io.out(json(rows));
        else for (const line of formatJobsStatus(rows)) io.out(line);
        return EXIT.ok;
      }
      case "tokens reencrypt": {
        const ring = tokenEncryptionKeys();
        const result = await reencryptSessionTokens(ring);
        io.out(json({ currentKey: ring.current.id, ...result }));
        // A row that does not open is a shop that must re-authenticate (or a key removed too early): the operator must see it.
        for (const id of result.unreadable) io.err(`session ${id} does not decrypt with TOKEN_ENCRYPTION_KEYS: left as it is; its shop re-authenticates on its next admin visit`);
        return result.unreadable.length > 0 ? EXIT.failure : EXIT.ok;
      }
      default:
        throw new UsageError(command ? `unknown command: ${command}` : "no command given");
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n${USAGE}`);
      return EXIT.usage;
    }
    io.err(`failed: ${(error as Error).message}`);
    return EXIT.failure;
  }
}

const invokedDirectly = process.argv[1]?.endsWith("cli.ts");
if (invokedDirectly) {
  const code = await runCli(process.argv.slice(2), { out: (t) => process.stdout.write(t + "\n"), err: (t) => process.stderr.write(t + "\n") });
  process.exit(code);
}
