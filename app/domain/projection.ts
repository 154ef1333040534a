/**
 * What a projector receives and answers (app/services/projectors.server.ts).
 * Plain types below the projectors, so the modules the projectors call (the
 * erasure screen in app/services/privacy.server.ts) can speak them without
 * importing the projectors back.
 */
export interface InboxEventInput {
  id: number;
  shop: string;
  topic: string;
  body: string;
}

export interface ProjectionOutcome {
  /** Customers whose member facts this event may have changed; the worker refreshes them once per batch. */
  factsChanged?: string[];
  status: "done" | "skipped";
  /** Who the raw body is about, so customers/redact can scrub it later. */
  subjectCustomerId?: string | null;
  subjectOrderId?: string | null;
  note?: string;
  /** The body itself must not be kept (a customers/redact request names the customer). */
  scrubBody?: boolean;
}
