/**
 * What a care flow's message says when the dispatcher sends it: the flow's
 * config read once per dispatcher pass and shop (a merchant's change applies
 * from the next pass), the flow and the step switched on, the template in the
 * customer's language (the merchant's wording, else the catalog's, else
 * English), whether a transactional flow may go without marketing consent,
 * and whether its messages wait for the customer's usual active hours.
 * A message of a flow that is off, a step that is off or a flow name the
 * catalog does not know is blocked (flowOff) by the dispatcher.
 */
import { FLOW_CATALOG, isCareFlow, stepContent, TIP_VARIABLE } from "~/domain/care/flows";
import { getFlowSettings, type FlowSetting } from "~/models/care-flows.server";
import { OFF, type ContentResolver } from "~/domain/care/message-content";

/** The usage tip a message was planned with, from its variables (null when none or unreadable). */
function tipOf(variables: string | undefined): string | null {
  if (!variables) return null;
  try {
    const value = (JSON.parse(variables) as Record<string, unknown>)[TIP_VARIABLE];
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

/** `wordsWhenOff`: the Messages log reads a message's words even when its flow or step is switched off now (never the dispatcher). */
export function flowResolver(options: { wordsWhenOff?: boolean } = {}): ContentResolver {
  const cache = new Map<string, Promise<Awaited<ReturnType<typeof getFlowSettings>>>>();
  return async (shop, message, locale) => {
    if (!isCareFlow(message.sourceId)) return OFF;
    let loading = cache.get(shop);
    if (!loading) cache.set(shop, (loading = getFlowSettings(shop)));
    const setting: FlowSetting = (await loading)[message.sourceId];
    const { config } = setting;
    const step = config.steps[message.step];
    if (!options.wordsWhenOff && (!config.enabled || !step?.enabled)) return OFF;
    const content = stepContent(message.sourceId, config, message.step, locale, tipOf(message.variables));
    if (!content) return OFF;
    // Switched off, read for the Messages log: the words, and nothing may go.
    if (!config.enabled || !step?.enabled) return { ...OFF, content };
    // Consent may be waived for transactional flows only; a marketing step inside one (the review request) never goes without.
    const def = FLOW_CATALOG[message.sourceId];
    const stepClass = def.steps.find((s) => s.step === message.step)?.messageClass ?? def.messageClass;
    return { enabled: true, allowWithoutConsent: stepClass === "transactional" && config.allowWithoutConsent, content, activeHours: config.activeHours, membership: def.membership === true && stepClass === "transactional", preferredChannel: config.preferredChannel };
  };
}
