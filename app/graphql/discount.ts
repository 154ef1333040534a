// The member discount: one automatic app discount per shop, run by the
// member-discount Function, with its configuration metafield.

export const CREATE_MEMBER_DISCOUNT = `#graphql
  mutation CreateMemberDiscount($discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppCreate(automaticAppDiscount: $discount) {
      automaticAppDiscount { discountId status discountClasses }
      userErrors { field message code }
    }
  }
`;

export const UPDATE_MEMBER_DISCOUNT = `#graphql
  mutation UpdateMemberDiscount($id: ID!, $discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $discount) {
      automaticAppDiscount { discountId status discountClasses }
      userErrors { field message code }
    }
  }
`;
