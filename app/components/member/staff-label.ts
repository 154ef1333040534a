// A staff member as the admin shows them: the name Shopify gave (the loader's
// `staffNames`, from models/staff-members.server.ts), else the name recorded
// with the action, else "Staff member 1234" in the admin's language.
import { useCallback } from "react";
import { useT } from "~/i18n";

/** The user id in an actor written as "staff 1234" (tier pins), or the value when it is a bare id. */
export function staffIdOf(actor: string | null | undefined): string | null {
  const match = /^(?:staff )?(\d+)$/.exec(actor?.trim() ?? "");
  return match ? match[1] : null;
}

export function useStaffLabel(names: Record<string, string>) {
  const t = useT();
  return useCallback(
    (id: string | null | undefined, recorded?: string | null): string => {
      const userId = staffIdOf(id);
      if (userId && names[userId]) return names[userId];
      if (recorded) return recorded;
      if (userId) return t("staff.unknown", { id: userId });
      return id ?? "";
    },
    [names, t],
  );
}
