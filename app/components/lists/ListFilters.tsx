// ListFilters: the IndexFilters of an admin list (issue 20), one copy for the
// five lists. The page gives its built-in views, search placeholder, sort,
// filters and pills; this adds what every list shares: the search box typed
// locally and sent after a pause (useListUrl), the view tabs with the
// merchant's saved views after the built-in ones, and creating, saving,
// renaming, duplicating and deleting a saved view
// (https://polaris-react.shopify.com/components/selection-and-input/index-filters).
//
//   const list = useListUrl();
//   <ListFilters list={list} listKey="followUps" savedViews={savedViews}
//     builtIns={[{ id: "today", label: t(...), changes: { view: null } }, ...]}
//     builtInSelected={FOLLOW_UP_VIEWS.indexOf(query.view)}
//     queryPlaceholder={...} sortOptions={...} sorted={`${query.sort} ${query.direction}`} defaultSort="value asc"
//     filters={...} appliedFilters={...} onClearAll={...} />
//
// A saved view is the URL's filters, sort and search (app/domain/list-views.ts);
// the URL's `saved` param says which one is shown, so choosing it restores
// them, a link keeps it and a change to the filters shows as unsaved ("Save").
// Built-in views cannot be renamed or deleted (their tabs are locked).
// Deleting asks first, in App Bridge's modal (ConfirmModal).
import { useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { IndexFilters, IndexFiltersMode, useSetIndexFiltersMode, type IndexFiltersProps } from "@shopify/polaris";
import { DeleteIcon } from "@shopify/polaris-icons";
import { useState } from "react";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { sortParams } from "~/domain/list-query";
import { SAVED_VIEW_PARAM, viewParams, viewQuery, type SavedViewList } from "~/domain/list-views";
import { useT, type MessageKey } from "~/i18n";
import type { ListViewAnswer } from "~/routes/app.list-views";
import type { useListUrl } from "./useListUrl";

export interface SavedListView {
  id: string;
  name: string;
  query: string;
}

export interface BuiltInView {
  id: string;
  label: string;
  accessibilityLabel?: string;
  /** The params that choose this view (null removes one); the list's other filters stay. */
  changes: Record<string, string | null>;
}

type Passed = Omit<
  IndexFiltersProps,
  "tabs" | "selected" | "onSelect" | "mode" | "setMode" | "canCreateNewView" | "onCreateNewView" | "primaryAction" | "cancelAction" | "queryValue" | "onQueryChange" | "onQueryClear" | "sortSelected" | "onSort"
>;

export interface ListFiltersProps extends Passed {
  list: ReturnType<typeof useListUrl>;
  listKey: SavedViewList;
  savedViews: SavedListView[];
  builtIns: BuiltInView[];
  /** The built-in view the URL shows when no saved view is chosen (-1: none of them, e.g. two statuses chosen). */
  builtInSelected: number;
  /** Open with the filter bar showing (a link that arrives filtered). */
  startFiltering?: boolean;
  /** The sort shown, as a sort option's value: "<sort> <asc|desc>" (the URL's `sort` and `dir`). */
  sorted: string;
  /** The list's own sort when the URL names none (written as no params, so the plain list is the plain URL). */
  defaultSort: string;
}

async function post(fields: Record<string, string>): Promise<ListViewAnswer> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  try {
    // fetch, not a Remix form: App Bridge's fetch adds the session token, and the answer decides whether Polaris closes its modal.
    const response = await fetch("/app/list-views", { method: "POST", body });
    return (await response.json()) as ListViewAnswer;
  } catch {
    return { ok: false, error: "invalid" };
  }
}

export function ListFilters({ list, listKey, savedViews, builtIns, builtInSelected, startFiltering = false, sorted, defaultSort, ...indexFilters }: ListFiltersProps) {
  const t = useT();
  const shopify = useAppBridge();
  const revalidator = useRevalidator();
  const { mode, setMode } = useSetIndexFiltersMode(startFiltering ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);
  const [deleting, setDeleting] = useState<SavedListView | null>(null);
  const [busy, setBusy] = useState(false);

  const savedId = list.params.get(SAVED_VIEW_PARAM);
  const savedIndex = savedViews.findIndex((view) => view.id === savedId);
  const current = savedIndex >= 0 ? savedViews[savedIndex]! : null;
  const selected = current ? builtIns.length + savedIndex : builtInSelected;
  const shownQuery = viewQuery(list.params);
  const changed = current !== null && shownQuery !== current.query;

  const open = (view: SavedListView) => list.replace(viewParams(list.params, view.query, view.id));
  const openBuiltIn = (view: BuiltInView) => list.replace(viewParams(list.params, new URLSearchParams(Object.entries(view.changes).filter((entry): entry is [string, string] => entry[1] !== null)).toString(), null));
  const failed = (answer: ListViewAnswer) => {
    if (!answer.ok) shopify.toast.show(t(`lists.views.error.${answer.error}` as MessageKey), { isError: true });
    return answer.ok;
  };
  const run = async (fields: Record<string, string>, done: (answer: Extract<ListViewAnswer, { ok: true }>) => void, toast: MessageKey) => {
    setBusy(true);
    const answer = await post(fields);
    setBusy(false);
    if (!failed(answer) || !answer.ok) return false;
    shopify.toast.show(t(toast));
    done(answer);
    return true;
  };
  const create = (name: string) => run({ intent: "create", list: listKey, name, query: shownQuery }, (answer) => answer.view && open(answer.view), "lists.views.created");

  const tabs: IndexFiltersProps["tabs"] = [
    ...builtIns.map((view) => ({ id: `view-${view.id}`, content: view.label, accessibilityLabel: view.accessibilityLabel, isLocked: true })),
    ...savedViews.map((view) => ({
      id: `saved-view-${view.id}`,
      content: view.name,
      actions: [
        { type: "rename" as const, onPrimaryAction: (name: string) => run({ intent: "rename", id: view.id, name }, () => revalidator.revalidate(), "lists.views.renamed") },
        { type: "duplicate" as const, onPrimaryAction: (name: string) => run({ intent: "duplicate", id: view.id, name }, (answer) => answer.view && open(answer.view), "lists.views.duplicated") },
        // Not Polaris's own delete (its modal is drawn inside the app): App Bridge's, as every destructive action here.
        { type: "edit" as const, content: t("lists.views.delete"), icon: DeleteIcon, destructive: true, onAction: () => setDeleting(view) },
      ],
    })),
  ];

  const onSelect = (index: number) => {
    const saved = savedViews[index - builtIns.length];
    if (saved) return open(saved);
    const builtIn = builtIns[index];
    if (!builtIn) return;
    // From a saved view its filters go with it; between built-in views the list's filters stay.
    if (current) openBuiltIn(builtIn);
    else list.update({ ...builtIn.changes, [SAVED_VIEW_PARAM]: null });
  };

  const onSort = ([value = defaultSort]: string[]) => list.update(sortParams(value, defaultSort));

  const primaryAction: IndexFiltersProps["primaryAction"] = current
    ? { type: "save", disabled: !changed || busy, loading: busy, onAction: () => run({ intent: "save", id: current.id, query: shownQuery }, () => revalidator.revalidate(), "lists.views.saved") }
    : { type: "save-as", disabled: busy, loading: busy, onAction: create };

  return (
    <>
      <IndexFilters
        {...indexFilters}
        tabs={tabs}
        selected={selected}
        onSelect={onSelect}
        canCreateNewView
        onCreateNewView={create}
        primaryAction={primaryAction}
        // Cancel puts a saved view back as it was saved; on a built-in view it just closes the filter bar.
        cancelAction={{ onAction: () => (current && changed ? open(current) : undefined), disabled: busy }}
        sortSelected={[sorted]}
        onSort={onSort}
        queryValue={list.query}
        onQueryChange={list.onQueryChange}
        onQueryClear={list.onQueryClear}
        mode={mode}
        setMode={setMode}
        loading={indexFilters.loading ?? list.loading}
      />
      <ConfirmModal
        id={`delete-view-${listKey}`}
        open={deleting !== null}
        title={t("lists.views.deleteTitle", { name: deleting?.name ?? "" })}
        body={t("lists.views.deleteBody", { name: deleting?.name ?? "" })}
        confirmLabel={t("lists.views.delete")}
        cancelLabel={t("lists.views.cancel")}
        loading={busy}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          const view = deleting;
          setDeleting(null);
          if (!view) return;
          void run(
            { intent: "delete", id: view.id },
            () => {
              // The view shown is gone: back to the list's first view.
              if (view.id === savedId && builtIns[0]) openBuiltIn(builtIns[0]);
              else revalidator.revalidate();
            },
            "lists.views.deleted",
          );
        }}
      />
    </>
  );
}
