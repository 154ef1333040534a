// Marketing consent updates (`customerEmailMarketingConsentUpdate`,
// `customerSmsMarketingConsentUpdate`): the app records an unsubscribe in
// Shopify, which stays the source of truth for consent.
import type { SimCustomer } from "../state";
import { parseGid, type FieldResolver, type ResolverContext } from "./common";
import { findCustomer } from "./customers";

interface ConsentInput {
  marketingState: string;
  marketingOptInLevel?: string | null;
  consentUpdatedAt?: string | null;
}

const EMAIL_STATES = ["NOT_SUBSCRIBED", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED"];
const SMS_STATES = ["NOT_SUBSCRIBED", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED"];

function update(
  { customerId, consent }: { customerId: string; consent: ConsentInput },
  context: ResolverContext,
  channel: { field: string; states: string[]; contact: (customer: SimCustomer) => string | null; missing: string; apply: (customer: SimCustomer, state: string) => void },
) {
  const customer = context.shop.customers.get(parseGid(customerId).id);
  if (!customer) return { customer: null, userErrors: [{ field: ["input", "customerId"], message: "Customer not found", code: "INVALID" }] };
  if (!channel.contact(customer)) return { customer: null, userErrors: [{ field: ["input", channel.field], message: channel.missing, code: "INVALID" }] };
  if (!channel.states.includes(consent.marketingState)) return { customer: null, userErrors: [{ field: ["input", channel.field, "marketingState"], message: "Marketing state is invalid", code: "INVALID" }] };
  channel.apply(customer, consent.marketingState);
  customer.updatedAt = context.state.now();
  return { customer: findCustomer(customer.id, context), userErrors: [] };
}

export const consentMutations: Record<string, FieldResolver> = {
  customerEmailMarketingConsentUpdate: ({ input }: { input: { customerId: string; emailMarketingConsent: ConsentInput } }, context) =>
    update({ customerId: input.customerId, consent: input.emailMarketingConsent }, context, {
      field: "emailMarketingConsent",
      states: EMAIL_STATES,
      contact: (customer) => customer.email,
      missing: "An email address is required to set the email marketing consent state.",
      apply: (customer, state) => void (customer.emailMarketingState = state as SimCustomer["emailMarketingState"]),
    }),
  customerSmsMarketingConsentUpdate: ({ input }: { input: { customerId: string; smsMarketingConsent: ConsentInput } }, context) =>
    update({ customerId: input.customerId, consent: input.smsMarketingConsent }, context, {
      field: "smsMarketingConsent",
      states: SMS_STATES,
      contact: (customer) => customer.phone,
      missing: "A phone number is required to set the SMS consent state.",
      apply: (customer, state) => void (customer.smsMarketingState = state as SimCustomer["smsMarketingState"]),
    }),
};
