// The dashboard's reads (issue 7) and the nightly snapshot it draws its trend
// from. Every function takes `shop` and filters on it.
import db from "~/db.server";
import { parseStageCounts, type StageCounts, type StageSnapshot } from "~/domain/dashboard";

const count = <K extends string>(rows: Array<{ _count: { _all: number } } & Record<K, string | null>>, key: K): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const row of rows) if (row[key] !== null) counts[row[key] as string] = row._count._all;
  return counts;
};

/** Live customers per RFM segment and per lifecycle stage (unclassified ones left out). */
export async function classificationCounts(shop: string): Promise<{ segments: Record<string, number>; stages: Record<string, number>; classified: number }> {
  const live = { shop, deletedAt: null };
  const [segments, stages] = await Promise.all([
    db.customer.groupBy({ by: ["rfmSegment"], where: { ...live, rfmSegment: { not: null } }, _count: { _all: true } }),
    db.customer.groupBy({ by: ["lifecycleStage"], where: { ...live, lifecycleStage: { not: null } }, _count: { _all: true } }),
  ]);
  const stageCounts = count(stages, "lifecycleStage");
  return { segments: count(segments, "rfmSegment"), stages: stageCounts, classified: Object.values(stageCounts).reduce((a, b) => a + b, 0) };
}

/** The night's stage counts for the shop's local `day`; a second run that day replaces them. */
export async function saveIntelSnapshot(shop: string, day: string, stages: StageCounts, now: Date): Promise<void> {
  const json = JSON.stringify(stages);
  await db.intelSnapshot.upsert({ where: { shop_day: { shop, day } }, create: { shop, day, stages: json, takenAt: now }, update: { stages: json, takenAt: now } });
}

/** Snapshots from `fromDay` on (YYYY-MM-DD), oldest first. */
export async function intelSnapshotsSince(shop: string, fromDay: string): Promise<StageSnapshot[]> {
  const rows = await db.intelSnapshot.findMany({ where: { shop, day: { gte: fromDay } }, orderBy: { day: "asc" }, select: { day: true, stages: true } });
  return rows.map((row) => ({ day: row.day, stages: parseStageCounts(row.stages) }));
}
