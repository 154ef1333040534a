import { PROGRAM_METAFIELD, programMetafieldValue, serializeProgram } from "~/domain/program-metafield";
import { PROGRAM_OWNER_QUERY, SET_PROGRAM_METAFIELD } from "~/graphql/program";
import { requestEffect } from "~/models/outbox.server";
import { programPublishState, saveProgramPublished, saveProgramPublishRefused } from "~/models/program-publish.server";
import { getTierContext, type TierContext } from "~/models/tiers.server";
import type { AdminClient } from "./admin-client.server";
import { newPacer, send, type PassResult } from "./paced-send.server";

/**
 * Publishes the shop's tier program (the rules in force, not a change waiting
 * for the next evaluation) as the app-owned shop metafield `$app:program`, the
 * document the theme app extension renders in Liquid and the account page
 * reads for non-members. An outbox effect, like the membership and discount
 * syncs: asked for whenever the rules in force change (saved now, a first
 * program, a pending change taking effect), and when the app learns the shop's
 * settings on install; the daily sweep asks for shops whose published value is
 * stale (programs saved before this existed, a new currency). Unchanged values
 * are not written again.
 */
export const PROGRAM_PUBLISH = "program.publish";

export const requestProgramPublish = (shop: string, now: Date) => requestEffect(shop, PROGRAM_PUBLISH, PROGRAM_PUBLISH, now);

/** The value the shop's storefront should have, or the reason it cannot be published. */
function publishable(context: TierContext): { value: string } | { problem: string } {
  try {
    return { value: serializeProgram(programMetafieldValue(context.program, context.currencyCode)) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Asks for a publish only when what Shopify has is not what the rules in force give (no outbox row otherwise). */
export async function requestProgramPublishIfStale(shop: string, now: Date): Promise<boolean> {
  const [context, state] = await Promise.all([getTierContext(shop), programPublishState(shop)]);
  if (!context || !state) return false;
  const wanted = publishable(context);
  if ("value" in wanted && wanted.value === state.published) return false;
  await requestProgramPublish(shop, now);
  return true;
}

interface OwnerData {
  shop: { id: string };
}
interface SetData {
  metafieldsSet: { userErrors: Array<{ field: string[] | null; message: string; code: string | null }> };
}

/**
 * The `program.publish` effect. A value our own schema rejects, or one Shopify
 * refuses, is kept as the reason on the Tiers page and not retried (the
 * merchant has to change the rules, and saving asks again); the storefront
 * keeps the program published before. Network errors are retried by the outbox.
 */
export async function publishProgram(shop: string, client: AdminClient, now: Date): Promise<PassResult> {
  const [context, state] = await Promise.all([getTierContext(shop), programPublishState(shop)]);
  if (!context || !state) return { status: "done", written: 0 };
  const wanted = publishable(context);
  if ("problem" in wanted) {
    await saveProgramPublishRefused(shop, wanted.problem);
    return { status: "done", written: 0 };
  }
  if (wanted.value === state.published && !state.error) return { status: "done", written: 0 };

  const pacer = newPacer(shop, now);
  const owner = await send<OwnerData>(client, pacer, PROGRAM_OWNER_QUERY, {});
  if ("waitMs" in owner) return { status: "later", at: new Date(now.getTime() + owner.waitMs), written: 0, reason: owner.reason };
  const ownerId = owner.answer.data?.shop.id;
  if (!ownerId) throw new Error("Shopify did not say the shop's id");
  const result = await send<SetData>(client, pacer, SET_PROGRAM_METAFIELD, {
    metafields: [{ ownerId, namespace: PROGRAM_METAFIELD.namespace, key: PROGRAM_METAFIELD.key, type: PROGRAM_METAFIELD.type, value: wanted.value }],
  });
  if ("waitMs" in result) return { status: "later", at: new Date(now.getTime() + result.waitMs), written: 0, reason: result.reason };
  const errors = result.answer.data?.metafieldsSet.userErrors ?? [];
  if (errors.length > 0) {
    await saveProgramPublishRefused(shop, errors.map((error) => error.message).join("; "));
    return { status: "done", written: 0 };
  }
  await saveProgramPublished(shop, wanted.value, now);
  return { status: "done", written: 1 };
}
