// TEMPORARY stub until the care planner's flows land.
import type { ContentResolver } from "./message-content.server";
import { OFF } from "./message-content.server";
export function flowResolver(): ContentResolver {
  return async () => OFF;
}
