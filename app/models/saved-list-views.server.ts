// Merchant-saved views of the admin lists (issue 20; app/domain/list-views.ts
// says what a view is). Shop-scoped: every function takes the shop and finds
// a view by its id within that shop only. Names are unique within a list (the
// tabs must tell them apart); a view's position orders its tab after the
// list's built-in ones.
import db from "~/db.server";
import { MAX_SAVED_VIEWS, nameNames, searchNames, withoutSearch, type SavedViewList } from "~/domain/list-views";

export interface SavedView {
  id: string;
  name: string;
  query: string;
}

export type SavedViewError = "taken" | "full" | "notFound";
export type SavedViewResult = { ok: true; view: SavedView } | { ok: false; error: SavedViewError };

const shape = { id: true, name: true, query: true } as const;
// Prisma's "unique constraint failed" (the name is taken in this list). By its
// code, not its class: on PostgreSQL the error comes from the other generated client.
const isNameTaken = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

export async function listSavedViews(shop: string, list: SavedViewList): Promise<SavedView[]> {
  return db.savedListView.findMany({ where: { shop, list }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: shape });
}

export async function createSavedView(shop: string, list: SavedViewList, name: string, query: string, now: Date): Promise<SavedViewResult> {
  const [count, last] = await Promise.all([db.savedListView.count({ where: { shop, list } }), db.savedListView.findFirst({ where: { shop, list }, orderBy: { position: "desc" }, select: { position: true } })]);
  if (count >= MAX_SAVED_VIEWS) return { ok: false, error: "full" };
  try {
    const view = await db.savedListView.create({ data: { shop, list, name, query, position: (last?.position ?? 0) + 1, createdAt: now, updatedAt: now }, select: shape });
    return { ok: true, view };
  } catch (error) {
    if (isNameTaken(error)) return { ok: false, error: "taken" };
    throw error;
  }
}

async function change(shop: string, id: string, data: { name?: string; query?: string }, now: Date): Promise<SavedViewResult> {
  try {
    const { count } = await db.savedListView.updateMany({ where: { shop, id }, data: { ...data, updatedAt: now } });
    if (count === 0) return { ok: false, error: "notFound" };
  } catch (error) {
    if (isNameTaken(error)) return { ok: false, error: "taken" };
    throw error;
  }
  const view = await db.savedListView.findFirst({ where: { shop, id }, select: shape });
  return view ? { ok: true, view } : { ok: false, error: "notFound" };
}

export const renameSavedView = (shop: string, id: string, name: string, now: Date) => change(shop, id, { name }, now);
/** The view now shows what the merchant is looking at (IndexFilters' "Save"). */
export const updateSavedView = (shop: string, id: string, query: string, now: Date) => change(shop, id, { query }, now);

/** A copy under a new name, placed last in the same list. */
export async function duplicateSavedView(shop: string, id: string, name: string, now: Date): Promise<SavedViewResult> {
  const original = await db.savedListView.findFirst({ where: { shop, id }, select: { list: true, query: true } });
  if (!original) return { ok: false, error: "notFound" };
  return createSavedView(shop, original.list as SavedViewList, name, original.query, now);
}

export async function deleteSavedView(shop: string, id: string): Promise<boolean> {
  return (await db.savedListView.deleteMany({ where: { shop, id } })).count > 0;
}

/** The customer's identifiers a saved search could hold (read before the customer row is erased). */
async function identifiersOf(shop: string, customerShopifyId: string): Promise<string[]> {
  const customer = await db.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } }, select: { firstName: true, lastName: true, email: true, phone: true } });
  const fullName = [customer?.firstName, customer?.lastName].filter(Boolean).join(" ");
  return [customerShopifyId, customer?.email, customer?.phone, customer?.firstName, customer?.lastName, fullName].filter((value): value is string => Boolean(value));
}

/**
 * Saved views whose name or search names the customer, whole, for
 * customers/data_request. A shop has tens of views at most: read them all and
 * match in code (the rules are the domain's, not SQL's LIKE).
 */
export async function savedViewsNaming(shop: string, customerShopifyId: string) {
  const identifiers = await identifiersOf(shop, customerShopifyId);
  const views = await db.savedListView.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
  return views.filter((view) => nameNames(view.name, identifiers) || searchNames(view.query, identifiers));
}

/**
 * customers/redact: a view named after the customer is deleted (it was about
 * them); a saved search that names them is cleared, and the view keeps its
 * name and filters (those are the merchant's, not the person's). Runs before
 * the customer row is deleted (it reads their name and email).
 */
export async function eraseCustomerFromSavedViews(shop: string, customerShopifyId: string, now: Date): Promise<number> {
  const identifiers = await identifiersOf(shop, customerShopifyId);
  const views = await savedViewsNaming(shop, customerShopifyId);
  for (const view of views) {
    if (nameNames(view.name, identifiers)) await db.savedListView.deleteMany({ where: { shop, id: view.id } });
    else await db.savedListView.updateMany({ where: { shop, id: view.id }, data: { query: withoutSearch(view.query), updatedAt: now } });
  }
  return views.length;
}
