/**
 * The POS counter's wire contract (issue 21): what the app's /pos/* routes
 * answer and what the POS UI extension (extensions/member-pos) sends. Types
 * only, so the extension imports them with `import type` and nothing of the
 * app (zod, Prisma) reaches its bundle; the lists of choices (channels,
 * contact times, outcomes) travel in the answers, so the app's domain stays
 * their one definition.
 */
import type { CounterFact } from "./counter-facts";
import type { ContactTime, CustomerFileValues, FileField, PreferredChannel } from "./customer-file";
import type { FollowUpOutcome, FollowUpReason } from "./follow-ups";
import type { LifecycleStage, ValueClass } from "./intelligence";
import type { MembershipValue } from "./membership";

/** A tier's name in each language the app writes (en, zh-CN). */
export type LocalizedName = MembershipValue["tier"]["name"];

/**
 * member: has a tier; nonMember: the app knows their purchases but they hold
 * no tier; new: new to the shop (no counted order yet, or not seen by the app
 * yet: just created at the POS, before Shopify's customers/create webhook).
 */
export type PosCustomerStatus = "member" | "nonMember" | "new";

export interface PosChoices {
  preferredChannel: readonly PreferredChannel[];
  preferredContactTime: readonly ContactTime[];
  outcomes: readonly FollowUpOutcome[];
}

export interface PosFollowUp {
  id: string;
  reason: FollowUpReason;
  /** The shop's local date, YYYY-MM-DD. */
  dueOn: string;
  /** The facts behind the reason (e.g. { on: "12-24" } for a birthday, { completeness: 40 } for a thin file). */
  detail: Record<string, string | number>;
  assigneeName: string | null;
}

export interface PosCustomerView {
  customer: { id: string; firstName: string | null; lastName: string | null };
  status: PosCustomerStatus;
  member: null | {
    tier: { handle: string; name: LocalizedName };
    /** ISO time. */
    since: string;
    progress: MembershipValue["progress"];
    /** ISO time of an announced downgrade, else null. */
    downgradeOn: string | null;
  };
  /**
   * For a customer new to the shop, when the shop has tiers: the first tier,
   * which their first order places them in (the lowest tier is every placed
   * customer's floor: qualifiedTier in app/domain/tiers.ts).
   */
  entryTier: null | { name: LocalizedName };
  valueClass: ValueClass | null;
  lifecycleStage: LifecycleStage | null;
  orders: { count: number; netSpentMinor: number; currencyCode: string; lastOrderAt: string | null };
  file: {
    registered: boolean;
    values: CustomerFileValues;
    score: number;
    missing: FileField[];
    facts: CounterFact[];
    updatedAt: string | null;
    updatedByName: string | null;
  };
  followUps: PosFollowUp[];
  /** The shop's local date. */
  today: string;
  choices: PosChoices;
}

/** The POS modal's save: the file's fields as the admin form takes them, and where and by whom. */
export type PosFileRequest = Partial<Omit<CustomerFileValues, "tags">> & {
  tags?: string[] | string;
  /** Fields confirmed unchanged with the customer. */
  confirm?: FileField[];
  /** shopify.session.currentSession.locationId. */
  locationId: number | string;
  /** shopify.session.staffMember.value?.id: the staff member pinned in (absent: the signed-in user, the token's sub). */
  staffMemberId?: number | string | null;
};

/** Field errors by field: the admin's message key for a file field (customerFile.errors.<field>), "pos.errors.<field>" for where and who. The extension shows its own words for each field. */
export type PosFieldErrors = Partial<Record<FileField | "confirm" | "locationId" | "staffMemberId", string>>;

export type PosFileAnswer = { ok: true; changed: FileField[]; score: number; registered: boolean } | { ok: false; errors: PosFieldErrors };

export interface PosLocationFollowUp extends PosFollowUp {
  customer: { id: string; name: string | null; email: string | null; phone: string | null };
  overdue: boolean;
}

export interface PosFollowUpsView {
  today: string;
  total: number;
  tasks: PosLocationFollowUp[];
  outcomes: readonly FollowUpOutcome[];
}

export interface PosOutcomeRequest {
  outcome: FollowUpOutcome;
  note?: string | null;
  locationId: number | string;
  staffMemberId?: number | string | null;
}

export type PosOutcomeAnswer = { ok: true } | { ok: false; errors: Partial<Record<"outcome" | "note" | "locationId" | "staffMemberId", string>> };
