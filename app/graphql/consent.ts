// Marketing consent updates: a customer who unsubscribes through the app's
// link is unsubscribed in Shopify too, which stays the source of truth for
// consent (Shopify Email, Flow and other apps read it there).

export const UPDATE_EMAIL_MARKETING_CONSENT = `#graphql
  mutation UpdateEmailMarketingConsent($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer { id }
      userErrors { field message code }
    }
  }
`;

export const UPDATE_SMS_MARKETING_CONSENT = `#graphql
  mutation UpdateSmsMarketingConsent($input: CustomerSmsMarketingConsentUpdateInput!) {
    customerSmsMarketingConsentUpdate(input: $input) {
      customer { id }
      userErrors { field message code }
    }
  }
`;
