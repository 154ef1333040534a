/**
 * Deadlines on every call the app makes to the outside world (issue 18):
 * one value per kind of call, read from the environment here and nowhere
 * else, so a later client (issue 19 rebuilds the Admin client) takes the
 * same value from the same place.
 *
 * A call that passes its deadline is a transient failure: the caller's
 * retry with back-off applies, and the reason kept on the row says
 * "timed out after N s", so an operator reads what happened.
 *
 * Shopify publishes no client-side timeout for the Admin API; it answers
 * 5xx when it cannot complete a request and asks clients to try again
 * later (https://shopify.dev/docs/api/usage/response-codes). A healthy
 * Admin GraphQL call answers in well under a second, so 15 s is generous
 * for a slow answer and short against the workers' 5-minute leases.
 */
import { env } from "~/env.server";

export type CallKind = "adminApi" | "smtp" | "sms";

/** The defaults, also the documented ones (docs/operations.md, "Deadlines on calls out"). */
export const DEFAULT_DEADLINES_MS: Record<CallKind, number> = {
  adminApi: 15_000,
  smtp: 30_000,
  sms: 15_000,
};

/** Milliseconds a call of this kind may take before it is abandoned. */
export function callDeadlineMs(kind: CallKind): number {
  const config = env();
  switch (kind) {
    case "adminApi":
      return config.ADMIN_API_TIMEOUT_MS;
    case "smtp":
      return config.SMTP_TIMEOUT_MS;
    case "sms":
      return config.SMS_API_TIMEOUT_MS;
  }
}

/** "15 s", "0.2 s": how a deadline reads in a reason. */
export const deadlineText = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/** A call abandoned at its deadline. Retryable: the other side may answer next time. */
export class CallTimeoutError extends Error {
  name = "CallTimeoutError";
  constructor(what: string, readonly ms: number) {
    super(`${what} timed out after ${deadlineText(ms)}`);
  }
}

/**
 * True when the error (or one of its causes) is a deadline passing: ours, or
 * the TimeoutError an AbortSignal.timeout raises, or a socket timeout.
 */
export function isTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof CallTimeoutError) return true;
    const { name, code } = current as { name?: unknown; code?: unknown };
    if (name === "TimeoutError" || code === "ETIMEDOUT" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return true;
  }
  return false;
}

/** A signal that aborts after `ms`, and also when `signal` (the caller's own) does. */
export function deadlineSignal(ms: number, signal?: AbortSignal | null): AbortSignal {
  const deadline = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

/**
 * A deadline for a download that may rightly take long (a bulk operation's
 * JSONL can be hundreds of megabytes): it aborts when no byte arrived for
 * `ms`, not after `ms` in all. `touch()` on each chunk; `pause()` while the
 * reader is busy with what it got (its own slowness is no silence of the
 * server), `resume()` when it waits again; `clear()` when done.
 */
export function idleDeadline(ms: number, what: string) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let paused = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new CallTimeoutError(what, ms)), ms);
    timer.unref?.();
  };
  arm();
  return {
    signal: controller.signal,
    touch: () => {
      if (!paused) arm();
    },
    pause: () => {
      paused = true;
      clearTimeout(timer);
    },
    resume: () => {
      paused = false;
      arm();
    },
    clear: () => clearTimeout(timer),
  };
}

/**
 * A fetch that gives every request a deadline unless the caller set a
 * shorter one of its own (the caller's signal still aborts it). Used for the
 * fetch Shopify's own library makes (token exchange and refresh, the
 * request-bound Admin client), which takes no timeout of its own.
 */
type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function fetchWithDeadline(inner: FetchLike, ms: () => number): FetchLike {
  // Wrapped once only: a module evaluated again (tests, reloads) must not stack deadlines.
  if ((inner as unknown as Record<symbol, boolean>)[DEADLINED]) return inner;
  const wrapped: FetchLike = (input, init) => inner(input, { ...init, signal: deadlineSignal(ms(), init?.signal) });
  Object.defineProperty(wrapped, DEADLINED, { value: true });
  return wrapped;
}

const DEADLINED = Symbol.for("membercare.fetchWithDeadline");
