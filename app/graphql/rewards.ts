// Staff-issued reward codes (issue 10): one basic code discount per reward,
// restricted to one customer through `context.customers` (2026-10; the older
// `customerSelection` is deprecated), single use, with an expiry.

export const CREATE_REWARD_CODE = `#graphql
  mutation CreateRewardCode($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic { status startsAt endsAt usageLimit appliesOncePerCustomer }
        }
      }
      userErrors { field message code }
    }
  }
`;

// A code discount read back by its code: after an answer that never arrived,
// whether the code was created (and for whom) before creating it again.
export const REWARD_CODE_BY_CODE = `#graphql
  query RewardCodeByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        ... on DiscountCodeBasic {
          title
          status
          startsAt
          endsAt
          usageLimit
          appliesOncePerCustomer
          context {
            ... on DiscountCustomers { customers { id } }
          }
          customerGets {
            value {
              ... on DiscountPercentage { percentage }
              ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem }
            }
          }
        }
      }
    }
  }
`;

// A code that expired unused is deactivated (issue 17): Shopify keeps its
// configuration and history, and no checkout takes it any more.
export const DEACTIVATE_REWARD_CODE = `#graphql
  mutation DeactivateRewardCode($id: ID!) {
    discountCodeDeactivate(id: $id) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic { status endsAt }
        }
      }
      userErrors { field message code }
    }
  }
`;
