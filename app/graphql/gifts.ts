// Packing notes for gifts (issue 10): the order's note and tags are read, the
// gift lines appended to the note and the gift tag added, then written back
// with orderUpdate (whose `tags` replaces the order's tags, so the ones it
// has are kept). The merchant's own note text stays as it was.

export const ORDER_NOTE_AND_TAGS = `#graphql
  query OrderNoteAndTags($id: ID!) {
    order(id: $id) {
      id
      note
      tags
    }
  }
`;

export const UPDATE_ORDER_NOTE = `#graphql
  mutation UpdateOrderNote($input: OrderInput!) {
    orderUpdate(input: $input) {
      order {
        id
        note
        tags
      }
      userErrors {
        field
        message
      }
    }
  }
`;
