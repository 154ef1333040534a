// A follow-up's outcome recorded at the POS (issue 21, extensions/member-pos):
// POST JSON { outcome, note?, locationId, staffMemberId? }. The outcome must be
// chosen (422 otherwise); a task of another shop or off the list is 404.
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { systemClock } from "~/services/clock.server";
import { authenticatePos, posBody } from "~/services/pos-auth.server";
import { PosNotFound, recordPosOutcome } from "~/services/pos.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop, sub, cors } = await authenticatePos(request);
  if (request.method !== "POST") return cors(new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } }));
  const body = await posBody(request);
  if (!body) return cors(json({ ok: false, errors: { body: "pos.errors.body" } }, { status: 400 }));
  try {
    const { status, answer } = await recordPosOutcome(shop, params.id ?? "", body, sub, systemClock.now());
    return cors(json(answer, { status }));
  } catch (error) {
    if (error instanceof PosNotFound) return cors(new Response("Not found", { status: 404 }));
    throw error;
  }
}
