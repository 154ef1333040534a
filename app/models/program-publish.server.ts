import db from "~/db.server";

/** The shop's tier program as last published to Shopify (`$app:program`), or Shopify's last refusal. */
export interface ProgramPublishState {
  /** The value last written (JSON), so an unchanged program is not written again. */
  published: string | null;
  publishedAt: Date | null;
  error: string | null;
}

/** Null when the shop has no tier program. */
export async function programPublishState(shop: string): Promise<ProgramPublishState | null> {
  const row = await db.tierProgram.findUnique({ where: { shop }, select: { programPublished: true, programPublishedAt: true, programPublishError: true } });
  return row ? { published: row.programPublished, publishedAt: row.programPublishedAt, error: row.programPublishError } : null;
}

export async function saveProgramPublished(shop: string, value: string, now: Date): Promise<void> {
  await db.tierProgram.updateMany({ where: { shop }, data: { programPublished: value, programPublishedAt: now, programPublishError: null } });
}

/** Shopify (or our own check) refused the value: the reason stays on the Tiers page; what was published before stays in Shopify. */
export async function saveProgramPublishRefused(shop: string, reason: string): Promise<void> {
  await db.tierProgram.updateMany({ where: { shop }, data: { programPublishError: reason } });
}

/**
 * app/uninstalled: what was published may not outlive the app in Shopify, so
 * it is forgotten, and the install that follows publishes the program again
 * (an unchanged value written once more costs one call).
 */
export async function forgetProgramPublished(shop: string): Promise<void> {
  await db.tierProgram.updateMany({ where: { shop }, data: { programPublished: null, programPublishedAt: null } });
}
