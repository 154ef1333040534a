// Saved list views (issue 20): create, save, rename, duplicate and delete a
// merchant's view of one of the admin lists. A resource route (no page): the
// lists' IndexFilters (app/components/lists/ListFilters.tsx) post here and
// read the answer. Bad input is a 422 with the reason, nothing changed; a view
// of another shop, or one already deleted, is a 404.
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { parseViewQuery, savedViewListSchema, viewNameSchema } from "~/domain/list-views";
import { createSavedView, deleteSavedView, duplicateSavedView, renameSavedView, updateSavedView, type SavedView, type SavedViewResult } from "~/models/saved-list-views.server";
import { systemClock } from "~/services/clock.server";
import { authenticate } from "~/shopify.server";

const id = z.string().min(1).max(64);
const query = z.string().max(4000);
const form = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), list: savedViewListSchema, name: viewNameSchema, query }),
  z.object({ intent: z.literal("save"), id, query }),
  z.object({ intent: z.literal("rename"), id, name: viewNameSchema }),
  z.object({ intent: z.literal("duplicate"), id, name: viewNameSchema }),
  z.object({ intent: z.literal("delete"), id }),
]);

/** Why a request changed nothing, as the page names it (lists.views.error.*). */
export type ListViewError = "invalid" | "name" | "query" | "taken" | "full" | "notFound";
export type ListViewAnswer = { ok: true; view: SavedView | null } | { ok: false; error: ListViewError };

const answer = (result: SavedViewResult) =>
  result.ok ? json<ListViewAnswer>({ ok: true, view: result.view }) : json<ListViewAnswer>({ ok: false, error: result.error }, { status: result.error === "notFound" ? 404 : 422 });

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const now = systemClock.now();
  const parsed = form.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    return json<ListViewAnswer>({ ok: false, error: field === "name" ? "name" : field === "query" ? "query" : "invalid" }, { status: 422 });
  }
  const data = parsed.data;
  if (data.intent === "create" || data.intent === "save") {
    const canonical = parseViewQuery(data.query);
    if (canonical === null) return json<ListViewAnswer>({ ok: false, error: "query" }, { status: 422 });
    return answer(data.intent === "create" ? await createSavedView(shop, data.list, data.name, canonical, now) : await updateSavedView(shop, data.id, canonical, now));
  }
  if (data.intent === "rename") return answer(await renameSavedView(shop, data.id, data.name, now));
  if (data.intent === "duplicate") return answer(await duplicateSavedView(shop, data.id, data.name, now));
  return (await deleteSavedView(shop, data.id)) ? json<ListViewAnswer>({ ok: true, view: null }) : json<ListViewAnswer>({ ok: false, error: "notFound" }, { status: 404 });
}
