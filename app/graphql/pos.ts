// The POS counter (issue 21): a customer staff have just created in Shopify
// POS reaches the app by the customers/create webhook, which may come after
// staff open the customer's screen. Before registering a file for a customer
// the app has not seen, it asks Shopify whether the customer is this shop's:
// `customer(id:)` answers null for an id that is not (another shop's customer).

export const POS_CUSTOMER = `#graphql
  query PosCustomer($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
    }
  }
`;
