// The admin lists' view lives in the URL (issue 20): filters, sort and page are
// search params the loader reads (app/domain/list-query.ts), so the server
// filters and pages, the back button goes back a view and a link keeps it.
// This hook writes a changed view into the URL (a Remix navigation, which
// reloads the page's data) and keeps the search box's typing local until the
// merchant pauses.
import { useNavigation, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { listParams, type pageInfo } from "~/domain/list-query";
import { formatNumber, useLocale, useT } from "~/i18n";

const SEARCH_PAUSE_MS = 350;

export function useListUrl() {
  const [params, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const update = useCallback(
    (changes: Parameters<typeof listParams>[1]) => setSearchParams((current) => listParams(current, changes), { preventScrollReset: true, replace: false }),
    [setSearchParams],
  );
  /** Show exactly these params (a saved view, or a built-in view left from a saved one). */
  const replace = useCallback((next: URLSearchParams) => setSearchParams(next, { preventScrollReset: true, replace: false }), [setSearchParams]);
  // A new view of this same list is loading (not a navigation to another page).
  const loading = navigation.state === "loading" && typeof window !== "undefined" && navigation.location?.pathname === window.location.pathname;

  // The search box: shown as typed, sent after a pause.
  const [query, setQuery] = useState(params.get("q") ?? "");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const urlQuery = params.get("q") ?? "";
  useEffect(() => setQuery(urlQuery), [urlQuery]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onQueryChange = useCallback(
    (value: string) => {
      setQuery(value);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => update({ q: value.trim() }), SEARCH_PAUSE_MS);
    },
    [update],
  );
  const onQueryClear = useCallback(() => {
    clearTimeout(timer.current);
    setQuery("");
    update({ q: null });
  }, [update]);

  // IndexTable's pagination for the page shown: both ways, with "26–50 of 131".
  const t = useT();
  const locale = useLocale();
  const pagination = (page: ReturnType<typeof pageInfo>, current: number) => ({
    hasPrevious: page.hasPrevious,
    hasNext: page.hasNext,
    onPrevious: () => update({ page: current - 1 }),
    onNext: () => update({ page: current + 1 }),
    label: t("lists.range", { from: formatNumber(page.from, locale), to: formatNumber(page.to, locale), total: formatNumber(page.total, locale) }),
  });

  return { params, update, replace, loading, query, onQueryChange, onQueryClear, pagination };
}
