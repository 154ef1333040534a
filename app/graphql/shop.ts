/** Shop settings the app keeps: time zone for quiet hours, currency for money. */
export const SHOP_SETTINGS_QUERY = `#graphql
  query ShopSettings {
    shop {
      name
      myshopifyDomain
      ianaTimezone
      currencyCode
    }
    shopLocales(published: true) {
      locale
      primary
    }
  }
`;
