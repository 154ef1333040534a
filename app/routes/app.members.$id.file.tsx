// The customer file of one member (issue 7): GET reads it with its change log,
// POST saves it, validated (422 with field errors), each change recorded with
// the staff member of the session token. The member page places
// CustomerFileEditor (app/components/CustomerFileEditor.tsx), which posts here.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { parseCustomerFileForm } from "~/domain/customer-file";
import { customerExists, customerFileEdits, getCustomerFile, saveCustomerFile, staffMember } from "~/models/customer-file.server";
import { systemClock } from "~/services/clock.server";
import { closeGoneFollowUps } from "~/services/follow-ups.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const id = params.id ?? "";
  if (!(await customerExists(session.shop, id))) throw new Response("Not found", { status: 404 });
  const [file, edits] = await Promise.all([getCustomerFile(session.shop, id, systemClock.now()), customerFileEdits(session.shop, id)]);
  return json({ file, edits: edits.map((edit) => ({ ...edit, at: edit.at.toISOString() })) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const id = params.id ?? "";
  if (!(await customerExists(session.shop, id))) throw new Response("Not found", { status: 404 });
  const parsed = parseCustomerFileForm(Object.fromEntries(await request.formData()));
  if (!parsed.ok) return json({ ok: false as const, errors: parsed.errors, changed: [] as string[], score: null }, { status: 422 });
  const staff = await staffMember(session.shop, sessionToken?.sub);
  const now = systemClock.now();
  const saved = await saveCustomerFile(session.shop, id, parsed.form, staff, now);
  // A "thin file" follow-up closes as soon as the file is complete enough, not at tomorrow's list.
  await closeGoneFollowUps(session.shop, now, { customerShopifyIds: [id] });
  return json({ ok: true as const, errors: null, changed: saved.edits.map((edit) => edit.field as string), score: saved.score });
}
