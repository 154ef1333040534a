// The backfill's documents: two bulk queries (run side by side; Shopify allows
// five concurrent bulk queries per shop from 2026-01) and the status poll.
// Bulk queries take no `first`: Shopify pages through everything itself.

/** Every customer with Shopify's own lifetime totals (the fallback without read_all_orders). */
export const CUSTOMERS_BULK_QUERY = `#graphql
  query BackfillCustomers {
    customers {
      edges {
        node {
          id
          firstName
          lastName
          email
          phone
          locale
          defaultAddress { city province provinceCode countryCodeV2 }
          defaultEmailAddress { marketingState marketingUpdatedAt }
          defaultPhoneNumber { marketingState marketingUpdatedAt }
          tags
          createdAt
          updatedAt
          numberOfOrders
          amountSpent { amount currencyCode }
        }
      }
    }
  }
`;

/**
 * Every order the app may read (the last 60 days without read_all_orders), with
 * what member facts and tiers are computed from. Line items are a nested
 * connection, so they come as their own JSONL lines carrying `__parentId`.
 */
export const ORDERS_BULK_QUERY = `#graphql
  query BackfillOrders {
    orders {
      edges {
        node {
          id
          name
          createdAt
          processedAt
          updatedAt
          cancelledAt
          cancelReason
          displayFinancialStatus
          displayFulfillmentStatus
          test
          sourceName
          currencyCode
          presentmentCurrencyCode
          subtotalPriceSet { shopMoney { amount currencyCode } }
          totalPriceSet { shopMoney { amount } }
          totalDiscountsSet { shopMoney { amount } }
          totalTaxSet { shopMoney { amount } }
          totalShippingPriceSet { shopMoney { amount } }
          customer { id }
          refunds { id createdAt totalRefundedSet { shopMoney { amount } } }
          lineItems {
            edges {
              node {
                id
                title
                sku
                vendor
                quantity
                currentQuantity
                product { id }
                variant { id }
                originalUnitPriceSet { shopMoney { amount } }
                totalDiscountSet { shopMoney { amount } }
                isGiftCard
              }
            }
          }
        }
      }
    }
  }
`;

export const RUN_BULK_QUERY = `#graphql
  mutation RunBulkQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

export const BULK_OPERATION_STATUS = `#graphql
  query BulkOperationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      url
      partialDataUrl
      createdAt
      completedAt
    }
  }
`;

/** Whether the app may read orders older than 60 days decides how history is read. */
export const APP_ACCESS_SCOPES = `#graphql
  query AppAccessScopes {
    currentAppInstallation { accessScopes { handle } }
  }
`;
