/** @jsxImportSource preact */
// (The pragma: the app's tests render this component, and the repo's tsconfig compiles JSX for React.)
/** What staff read when the backend did not answer with data: no permission, or unreachable (a customer that is not the shop's reads as unreachable: POS only shows its own). */
import type {} from "./elements";
import type { Answer } from "../api";
import type { Translate } from "../messages";

export function Trouble({ kind, t }: { kind: Exclude<Answer<unknown>["kind"], "ok" | "invalid">; t: Translate }) {
  return <s-text tone="critical">{kind === "noPermission" ? t("block.noPermission") : t("block.unreachable")}</s-text>;
}
