// What Shopify admin draws around an embedded app's page for App Bridge
// (test/demo only): the title bar above the app, the save bar in the top bar,
// modals and the "leave page?" question over everything, toasts, and the
// resource picker. Every button here is a copy: clicking it sends the stand-in
// an "action" and the stand-in clicks the app's own element (app-bridge.ts).
import type { ActionState, FrameMessage, ModalState, ResourcePickerRequest, SaveBarState, ShellConfig, TitleBarState, Unsent } from "../protocol";

interface ChromeOptions {
  document: Document;
  text: ShellConfig["text"];
  send(message: Unsent<FrameMessage>): void;
}

export function createChrome({ document, text, send }: ChromeOptions) {
  const byId = (id: string) => document.getElementById(id) as HTMLElement;
  const titleBarEl = byId("title-bar");
  const saveBarEl = byId("save-bar");
  const modalsEl = byId("modals");
  let saveBar: SaveBarState | null = null;
  // What each bar last drew. The app repeats its state often (an input and a change
  // event for one edit); drawing the same bar again would swap the buttons under a
  // press, and a press that starts on one button and ends on its copy is no click.
  let drawnTitleBar = "";
  let drawnSaveBar = "";

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { attrs?: Record<string, string>; [property: string]: unknown } = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
    const { attrs, ...rest } = props;
    const node: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), rest);
    for (const [name, value] of Object.entries(attrs ?? {})) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  function actionButton(action: ActionState, onClick = () => send({ type: "action", actionId: action.id })) {
    const classes = ["action", action.variant === "primary" ? "primary" : "", action.critical ? "critical" : ""].filter(Boolean).join(" ");
    const button = el("button", { type: "button", className: classes, textContent: action.label, disabled: action.disabled || action.loading });
    if (action.loading) button.setAttribute("aria-busy", "true");
    button.addEventListener("click", onClick);
    return button;
  }

  /** Secondary actions, then grouped ones as a disclosure per group, then the primary action, as admin lays them out. */
  function actionRow(actions: ActionState[]) {
    const nodes: HTMLElement[] = [];
    const groups = new Map<string, ActionState[]>();
    for (const action of actions) {
      if (action.variant === "breadcrumb" || action.variant === "primary") continue;
      if (action.group !== null) groups.set(action.group, [...(groups.get(action.group) ?? []), action]);
      else nodes.push(actionButton(action));
    }
    for (const [label, grouped] of groups) {
      nodes.push(el("details", { className: "group" }, el("summary", { className: "action", textContent: label || text.moreActions }), el("div", {}, ...grouped.map((action) => actionButton(action)))));
    }
    const primary = actions.find((action) => action.variant === "primary");
    if (primary) nodes.push(actionButton(primary));
    return nodes;
  }

  function renderTitleBar(titleBar: TitleBarState | null) {
    const drawn = JSON.stringify(titleBar);
    if (drawn === drawnTitleBar) return;
    drawnTitleBar = drawn;
    titleBarEl.hidden = !titleBar;
    if (!titleBar) return titleBarEl.replaceChildren();
    const breadcrumb = titleBar.actions.find((action) => action.variant === "breadcrumb");
    titleBarEl.replaceChildren(
      ...(breadcrumb ? [el("nav", { attrs: { "aria-label": "Breadcrumb" } }, actionButton(breadcrumb))] : []),
      el("h1", { textContent: titleBar.title }),
      ...actionRow(titleBar.actions),
    );
  }

  function renderSaveBar(state: SaveBarState | null) {
    saveBar = state;
    const drawn = JSON.stringify(state);
    if (drawn === drawnSaveBar) return;
    drawnSaveBar = drawn;
    saveBarEl.hidden = !state;
    if (!state) return saveBarEl.replaceChildren();
    const button = (kind: "save" | "discard", action: ActionState | null) =>
      action
        ? actionButton({ ...action, label: action.label || text[kind], variant: kind === "save" ? "primary" : "secondary" })
        : actionButton({ id: `${kind}:${state.formId}`, label: text[kind], variant: kind === "save" ? "primary" : "secondary", critical: false, disabled: !state.formId, loading: false, group: null });
    saveBarEl.replaceChildren(el("span", { className: "message", textContent: text.unsavedChanges }), button("discard", state.discard), button("save", state.save));
  }

  /** A dialog over the admin; Escape and the close button call `onClose`. Returns the backdrop to remove. */
  function dialog({ title, body, footer, onClose, small = false, key }: { title: string; body: Node[]; footer: Node[]; onClose(): void; small?: boolean; key: string }) {
    const titleId = `dialog-title-${key}`;
    const close = el("button", { type: "button", textContent: "×", attrs: { "aria-label": text.close } });
    close.addEventListener("click", onClose);
    const box = el(
      "div",
      { className: small ? "dialog small" : "dialog", attrs: { role: "dialog", "aria-modal": "true", "aria-labelledby": titleId } },
      el("header", {}, el("h2", { id: titleId, textContent: title }), close),
      el("div", { className: "body" }, ...body),
      el("footer", {}, ...footer),
    );
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        onClose();
      }
    });
    const backdrop = el("div", { className: "backdrop" }, box);
    backdrop.dataset.key = key;
    return { backdrop, box, focus: () => (box.querySelector<HTMLElement>("footer button:last-child, input") ?? close).focus() };
  }

  // The app's modals: one dialog each, the last opened on top; kept while open so focus stays.
  const shownModals = new Map<string, { backdrop: HTMLElement; signature: string }>();
  function renderModals(modals: ModalState[]) {
    const open = new Set(modals.map((modal) => modal.id));
    for (const [id, shown] of shownModals) {
      if (!open.has(id)) {
        shown.backdrop.remove();
        shownModals.delete(id);
      }
    }
    for (const modal of modals) {
      const signature = JSON.stringify(modal);
      const current = shownModals.get(modal.id);
      if (current?.signature === signature) continue;
      const built = dialog({
        key: modal.id,
        title: modal.title,
        body: [document.createTextNode(modal.text)],
        footer: [...modal.actions.filter((a) => a.variant !== "primary"), ...modal.actions.filter((a) => a.variant === "primary")].map((action) => actionButton(action)),
        onClose: () => send({ type: "modalClose", modalId: modal.id }),
        small: modal.variant === "small",
      });
      if (current) current.backdrop.replaceWith(built.backdrop);
      else modalsEl.append(built.backdrop);
      shownModals.set(modal.id, { backdrop: built.backdrop, signature });
      if (!current) built.focus();
    }
  }

  /** "Leave page with unsaved changes?": true when the merchant leaves, false when they stay. */
  function confirmLeave(): Promise<boolean> {
    saveBarEl.classList.remove("nudge");
    void saveBarEl.offsetWidth;
    saveBarEl.classList.add("nudge");
    return new Promise((resolve) => {
      const answer = (leave: boolean) => {
        built.backdrop.remove();
        resolve(leave);
      };
      const stay = el("button", { type: "button", className: "action", textContent: text.stay });
      stay.addEventListener("click", () => answer(false));
      const leave = el("button", { type: "button", className: "action primary critical", textContent: text.leave });
      leave.addEventListener("click", () => answer(true));
      const built = dialog({ key: "leave", title: text.leaveTitle, body: [document.createTextNode(text.leaveBody)], footer: [stay, leave], onClose: () => answer(false), small: true });
      modalsEl.append(built.backdrop);
      stay.focus();
    });
  }

  // Toasts (role="status", so assistive technology and tests read them), gone after their duration.
  const toastTimers = new Map<string, { node: HTMLElement; timer: ReturnType<typeof setTimeout> }>();
  function hideToast(id: string) {
    const shown = toastTimers.get(id);
    if (!shown) return;
    clearTimeout(shown.timer);
    shown.node.remove();
    toastTimers.delete(id);
  }
  function showToast(container: HTMLElement, toast: { id: string; message: string; isError: boolean; duration: number; action: { id: string; label: string } | null }) {
    const node = el("div", { className: toast.isError ? "toast error" : "toast", attrs: { role: "status" } }, el("span", { textContent: toast.message }));
    if (toast.action) {
      const { id, label } = toast.action;
      const button = el("button", { type: "button", textContent: label });
      button.addEventListener("click", () => {
        send({ type: "action", actionId: id });
        hideToast(toast.id);
      });
      node.append(button);
    }
    container.append(node);
    toastTimers.set(toast.id, { node, timer: setTimeout(() => hideToast(toast.id), toast.duration) });
  }

  /** The resource picker: search by title, choose, Add/Select resolves with the chosen resources; Cancel, close or Escape with null. */
  function pickResources(options: ResourcePickerRequest): Promise<unknown[] | null> {
    const limit = options.multiple === true ? Infinity : options.multiple === false ? 1 : Math.max(1, options.multiple);
    const chosen = new Map<string, unknown>();
    const preselected = new Set(options.selectionIds);
    const noun = text[options.type];
    return new Promise((resolve) => {
      let finished = false;
      const finish = (selection: unknown[] | null) => {
        if (finished) return;
        finished = true;
        built.backdrop.remove();
        resolve(selection);
      };
      const search = el("input", { type: "search", value: options.query, attrs: { "aria-label": `${text.search} ${noun}`, placeholder: `${text.search} ${noun}` } });
      const list = el("ul", { attrs: { "aria-label": noun } });
      const count = el("span", { className: "meta" });
      const cancel = el("button", { type: "button", className: "action", textContent: text.cancel });
      cancel.addEventListener("click", () => finish(null));
      const confirm = el("button", { type: "button", className: "action primary", textContent: options.action === "select" ? text.select : text.add });
      confirm.addEventListener("click", () => finish([...chosen.values()]));
      const update = () => {
        count.textContent = text.selected.replace("{count}", String(chosen.size));
        confirm.disabled = chosen.size === 0;
        for (const input of list.querySelectorAll<HTMLInputElement>("input")) {
          input.disabled = !input.checked && limit > 1 && chosen.size >= limit;
        }
      };
      let searchId = 0;
      const load = async () => {
        const mine = ++searchId;
        const url = `/resources?type=${options.type}&query=${encodeURIComponent([options.filterQuery, search.value].filter(Boolean).join(" "))}`;
        const { resources } = (await (await fetch(url, { cache: "no-store" })).json()) as { resources: Array<{ id: string; title: string; displayName?: string; handle?: string; variants?: unknown[]; productsCount?: number }> };
        if (mine !== searchId) return;
        // Preselected ids are chosen once their resource is known (selectionIds carries ids only).
        for (const resource of resources) {
          if (preselected.delete(resource.id)) chosen.set(resource.id, resource);
        }
        list.replaceChildren(
          ...(resources.length === 0
            ? [el("li", { className: "meta", textContent: text.noResults })]
            : resources.map((resource) => {
                const input = el("input", { type: limit === 1 ? "radio" : "checkbox", name: "resource", checked: chosen.has(resource.id), value: resource.id });
                input.addEventListener("change", () => {
                  if (limit === 1) chosen.clear();
                  if (input.checked) chosen.set(resource.id, resource);
                  else chosen.delete(resource.id);
                  update();
                });
                const meta = resource.handle ? el("span", { className: "meta", textContent: resource.handle }) : "";
                return el("li", {}, el("label", {}, input, el("span", { textContent: resource.displayName ?? resource.title }), meta));
              })),
        );
        update();
      };
      let timer: ReturnType<typeof setTimeout> | undefined;
      search.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => void load(), 150);
      });
      const title = `${options.action === "select" ? text.select : text.add} ${noun}`;
      const built = dialog({ key: "resource-picker", title, body: [search, list], footer: [count, cancel, confirm], onClose: () => finish(null) });
      modalsEl.append(built.backdrop);
      search.focus();
      void load();
    });
  }

  return {
    renderTitleBar,
    renderSaveBar,
    renderModals,
    confirmLeave,
    showToast,
    hideToast,
    pickResources,
    saveBarShowing: () => saveBar !== null,
  };
}
