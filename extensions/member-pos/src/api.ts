/**
 * The extension's calls to the app's backend (app/routes/pos.*). Each request
 * carries the POS session token in Authorization, as Shopify documents for a
 * POS extension calling its app (shopify.dev/docs/api/pos-ui-extensions:
 * "App Authentication"; the token is undefined when the signed-in POS user
 * may not use the app). Paths are relative: POS resolves them against the
 * app's application_url; tests pass the test server's URL as `baseUrl`.
 *
 * Every change sends where and by whom: the POS location and the staff member
 * pinned in (the token names the signed-in user, not the pinned staff member).
 */
import type { PosCustomerView, PosFileAnswer, PosFileRequest, PosFollowUpsView, PosOutcomeAnswer } from "~/domain/pos";
import type { FollowUpOutcome } from "~/domain/follow-ups";

export interface Backend {
  /** "" in POS (relative URLs); the app's URL in tests. */
  baseUrl: string;
  token(): Promise<string | undefined>;
  fetch(url: string, init: RequestInit): Promise<Response>;
}

/** Where the POS is and who is pinned in (shopify.session). */
export interface Counter {
  locationId: number;
  staffMemberId: number | null;
}

export type Answer<T> = { kind: "ok"; value: T } | { kind: "invalid"; errors: Record<string, string> } | { kind: "notFound" } | { kind: "noPermission" } | { kind: "unreachable" };

async function call<T>(backend: Backend, path: string, body?: unknown): Promise<Answer<T>> {
  const token = await backend.token();
  if (!token) return { kind: "noPermission" };
  let response: Response;
  try {
    response = await backend.fetch(`${backend.baseUrl}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    return { kind: "unreachable" };
  }
  if (response.status === 401 || response.status === 403) return { kind: "noPermission" };
  if (response.status === 404) return { kind: "notFound" };
  if (response.status === 422) return { kind: "invalid", errors: ((await response.json()) as { errors: Record<string, string> }).errors };
  if (!response.ok) return { kind: "unreachable" };
  return { kind: "ok", value: (await response.json()) as T };
}

const where = (counter: Counter) => ({ locationId: counter.locationId, staffMemberId: counter.staffMemberId });

export function loadCustomer(backend: Backend, customerId: number | string): Promise<Answer<PosCustomerView>> {
  return call(backend, `/pos/customers/${encodeURIComponent(String(customerId))}`);
}

/** The file as the modal's form holds it; saved whole, as the admin's form is. */
export type FileDraft = Omit<PosFileRequest, "locationId" | "staffMemberId">;

export function saveFile(backend: Backend, customerId: number | string, draft: FileDraft, counter: Counter): Promise<Answer<Extract<PosFileAnswer, { ok: true }>>> {
  return call(backend, `/pos/customers/${encodeURIComponent(String(customerId))}`, { ...draft, ...where(counter) } satisfies PosFileRequest);
}

export function loadFollowUps(backend: Backend, counter: Counter): Promise<Answer<PosFollowUpsView>> {
  return call(backend, `/pos/follow-ups?locationId=${encodeURIComponent(String(counter.locationId))}`);
}

export function recordOutcome(backend: Backend, taskId: string, outcome: FollowUpOutcome, note: string, counter: Counter): Promise<Answer<Extract<PosOutcomeAnswer, { ok: true }>>> {
  return call(backend, `/pos/follow-ups/${encodeURIComponent(taskId)}`, { outcome, note, ...where(counter) });
}
