// The POS customer details block and its modal (issue 21, extensions/member-pos):
// GET the customer as the counter shows them; POST the customer file saved in
// conversation (JSON: the admin form's fields, locationId, staffMemberId),
// validated by the admin's own rules (422 with field errors, nothing written).
// Authenticated with the POS session token; another shop's customer is 404.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { systemClock } from "~/services/clock.server";
import { authenticatePos, posBody } from "~/services/pos-auth.server";
import { PosNotFound, posCustomerId, posCustomerView, savePosFile } from "~/services/pos.server";

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop, cors } = await authenticatePos(request);
  const id = posCustomerId(params.id);
  if (!id) return cors(notFound());
  try {
    return cors(json(await posCustomerView(shop, id, systemClock.now())));
  } catch (error) {
    if (error instanceof PosNotFound) return cors(notFound());
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop, sub, cors } = await authenticatePos(request);
  if (request.method !== "POST") return cors(new Response("Method not allowed", { status: 405, headers: { Allow: "GET, POST" } }));
  const id = posCustomerId(params.id);
  if (!id) return cors(notFound());
  const body = await posBody(request);
  if (!body) return cors(json({ ok: false, errors: { body: "pos.errors.body" } }, { status: 400 }));
  try {
    const { status, answer } = await savePosFile(shop, id, body, sub, systemClock.now());
    return cors(json(answer, { status }));
  } catch (error) {
    if (error instanceof PosNotFound) return cors(notFound());
    throw error;
  }
}
