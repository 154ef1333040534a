/** How the members list can be sorted (shared by the page and its query). */
export const MEMBER_SORTS = ["spend", "recent", "orders"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
