// Automated touches handed to staff (issue 21): when the customer file asks
// for a call, or for no messages, the contact policy turns a due message into
// a staff follow-up (reason personalContact, app/domain/follow-ups.ts). One
// pending such task per customer: a second touch while one is open is noted
// on the message, not added to the list again. Written in the dispatcher's
// decision transaction, with the message's own settlement.
import type { Prisma } from "@prisma/client";
import { dueOnFor, PENDING_STATUSES, REASON_PRIORITY } from "~/domain/follow-ups";
import { chunks, MAX_IN_LIST } from "./sql-limits.server";

type Tx = Prisma.TransactionClient;

export interface Handover {
  customerShopifyId: string;
  messageId: string;
  source: string;
  sourceId: string;
  step: string;
  messageClass: string;
  preferredChannel: "phone" | "none";
}

/**
 * For each message handed over (by id): its customer's pending personal-contact
 * task, and whether this message opened it (the first of a customer's that
 * found none) or found it already there.
 */
export async function handToStaff(tx: Tx, shop: string, handovers: Handover[], today: string, now: Date): Promise<Map<string, { taskId: string; opened: boolean }>> {
  const tasks = new Map<string, string>();
  const outcome = new Map<string, { taskId: string; opened: boolean }>();
  const customers = [...new Set(handovers.map((handover) => handover.customerShopifyId))];
  for (const ids of chunks(customers, MAX_IN_LIST)) {
    const pending = await tx.followUpTask.findMany({
      where: { shop, reason: "personalContact", status: { in: [...PENDING_STATUSES] }, customerShopifyId: { in: ids } },
      select: { id: true, customerShopifyId: true },
      orderBy: { createdAt: "asc" },
    });
    for (const task of pending) if (!tasks.has(task.customerShopifyId)) tasks.set(task.customerShopifyId, task.id);
  }
  for (const handover of handovers) {
    const existing = tasks.get(handover.customerShopifyId);
    if (existing) {
      outcome.set(handover.messageId, { taskId: existing, opened: false });
      continue;
    }
    const detail = { source: handover.source, sourceId: handover.sourceId, step: handover.step, messageClass: handover.messageClass, messageId: handover.messageId, preferredChannel: handover.preferredChannel };
    const task = await tx.followUpTask.create({
      data: { shop, customerShopifyId: handover.customerShopifyId, reason: "personalContact", priority: REASON_PRIORITY.personalContact, detail: JSON.stringify(detail), dueOn: dueOnFor("personalContact", today), createdAt: now, updatedAt: now },
      select: { id: true },
    });
    tasks.set(handover.customerShopifyId, task.id);
    outcome.set(handover.messageId, { taskId: task.id, opened: true });
  }
  return outcome;
}
