// A shop's care flow settings (issue 8): one CareFlow row per shop and flow,
// its switch in `enabled` and the rest as JSON read through
// validateFlowConfig (app/domain/care/flows.ts), so nothing invalid is ever
// used: a stored config that no longer parses (a bound changed) is read as the
// flow's defaults, switched off, and the page says so. No row: the defaults
// (off, but for the shipment notice: see defaultFlowConfig).
import db from "~/db.server";
import { defaultFlowConfig, readFlowConfig, validateFlowConfig, type FlowConfig, type FlowConfigResult } from "~/domain/care/flows";
import { CARE_FLOWS, type CareFlowKey } from "~/domain/care/types";

export interface FlowSetting {
  flow: CareFlowKey;
  config: FlowConfig;
  /** The stored config no longer parses: the defaults (off) are in use. */
  invalid: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

function parseStored(stored: string): unknown {
  try {
    return JSON.parse(stored);
  } catch {
    return null;
  }
}

/** Every flow's settings for the shop, in catalog order. */
export async function getFlowSettings(shop: string): Promise<Record<CareFlowKey, FlowSetting>> {
  const rows = await db.careFlow.findMany({ where: { shop } });
  const byFlow = new Map(rows.map((row) => [row.flow, row]));
  const out = {} as Record<CareFlowKey, FlowSetting>;
  for (const flow of CARE_FLOWS) {
    const row = byFlow.get(flow);
    if (!row) {
      out[flow] = { flow, config: defaultFlowConfig(flow), invalid: false, updatedBy: null, updatedAt: null };
      continue;
    }
    const stored = parseStored(row.config);
    const { config, invalid } = stored === null ? { config: { ...defaultFlowConfig(flow), enabled: false }, invalid: true } : readFlowConfig(flow, row.enabled, stored);
    out[flow] = { flow, config, invalid, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
  }
  return out;
}

/**
 * Validates and stores one flow's settings, attributed to the staff member;
 * with any field error nothing is saved and the errors come back keyed by path.
 */
export async function saveFlowSettings(shop: string, flow: CareFlowKey, input: unknown, staff: string | null, now: Date): Promise<FlowConfigResult> {
  const result = validateFlowConfig(flow, input);
  if (!result.ok) return result;
  const { enabled, ...rest } = result.config;
  const config = JSON.stringify(rest);
  await db.careFlow.upsert({
    where: { shop_flow: { shop, flow } },
    create: { shop, flow, enabled, config, updatedBy: staff, updatedAt: now },
    update: { enabled, config, updatedBy: staff, updatedAt: now },
  });
  return result;
}
