/** Entry for `pos.home.tile.render`: how many of this store's customers to contact today; a tap opens the list. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/pos.home.tile.render";
import { loadFollowUps } from "../api";
import type { Translate } from "../messages";
import { backendOf, counterOf } from "./host";

declare const shopify: Api;

export default async () => {
  render(<HomeTileTarget />, document.body);
};

export function HomeTileTarget() {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    void loadFollowUps(backendOf(shopify), counterOf(shopify)).then((answer) => setCount(answer.kind === "ok" ? answer.value.total : null));
  }, []);
  return <HomeTile count={count} t={shopify.i18n.translate} onOpen={() => shopify.action.presentModal()} />;
}

/** `count`: today's follow-ups of this store; null while loading or when the app did not answer. */
export function HomeTile({ count, t, onOpen }: { count: number | null; t: Translate; onOpen: () => void }) {
  return (
    <s-tile
      heading={t("home.tile")}
      subheading={count === null ? undefined : count === 0 ? t("home.none") : t("home.count", { count })}
      itemCount={count ?? undefined}
      tone={count ? "accent" : "auto"}
      onClick={onOpen}
    />
  );
}
