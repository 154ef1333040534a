/** @jsxImportSource preact */
// (The pragma: extensions/member-pos/tsconfig.json, which sets Preact's JSX,
// leaves test files to tests/tsconfig.json, so vitest would otherwise compile
// this file's JSX with the repo's React settings.)
//
// Each component rendered to markup (Polaris web components are plain custom
// elements here) with the real locale files, asserting the text staff read.
// The views are written by hand in the wire contract's shape; tests/pos.test.ts
// renders the same components with what the app's backend answers.
import { render } from "preact-render-to-string";
import { parseCustomerFileForm, EMPTY_FILE } from "~/domain/customer-file";
import type { PosCustomerView, PosFollowUpsView } from "~/domain/pos";
import { intlWords, shopperText, translator } from "../../tests/support";
import { HomeTile } from "../targets/home-tile";
import { CustomerBlock } from "./CustomerBlock";
import { FileForm, draftOf, requestOf } from "./FileForm";
import { EMPTY_OUTCOME, FollowUpList } from "./FollowUpList";

const choices = { preferredChannel: ["email", "sms", "phone", "none"], preferredContactTime: ["morning", "afternoon", "evening", "any"], outcomes: ["reached", "noAnswer", "declined", "resolved", "notNeeded"] } as const;

const member: PosCustomerView = {
  customer: { id: "8101", firstName: "Ada", lastName: "Lovelace" },
  status: "member",
  member: {
    tier: { handle: "gold", name: { en: "Gold", "zh-CN": "金卡" } },
    since: "2026-03-02T10:00:00.000Z",
    progress: { next: { handle: "platinum", name: { en: "Platinum", "zh-CN": "白金卡" } }, spendNeededMinor: 4_200, ordersNeeded: null, currencyCode: "USD" },
    downgradeOn: null,
  },
  entryTier: null,
  valueClass: "key",
  lifecycleStage: "atRisk",
  orders: { count: 7, netSpentMinor: 95_800, currencyCode: "USD", lastOrderAt: "2026-11-20T15:00:00.000Z" },
  file: {
    registered: true,
    values: { ...EMPTY_FILE, birthday: "12-09", acceptsPromotions: false, clothingSize: "M", shoeSize: "EU 38", preferredChannel: "sms", tags: ["tea"] },
    score: 52,
    missing: ["stylePreferences"],
    facts: [{ kind: "birthdaySoon", days: 2 }, { kind: "noPromotions" }, { kind: "sizes", clothing: "M", shoe: "EU 38" }],
    updatedAt: "2026-11-20T15:10:00.000Z",
    updatedByName: "Mei Lin",
  },
  followUps: [{ id: "t1", reason: "birthday", dueOn: "2026-12-09", detail: { inDays: 2, on: "2026-12-09" }, assigneeName: null }],
  today: "2026-12-07",
  choices,
};

const nonMember: PosCustomerView = {
  ...member,
  status: "nonMember",
  member: null,
  valueClass: null,
  lifecycleStage: "new",
  orders: { count: 1, netSpentMinor: 5_000, currencyCode: "USD", lastOrderAt: "2026-12-01T09:00:00.000Z" },
  file: { registered: false, values: EMPTY_FILE, score: 0, missing: [], facts: [{ kind: "askFor", field: "preferredChannel" }], updatedAt: null, updatedByName: null },
  followUps: [],
};

const newCustomer: PosCustomerView = {
  ...nonMember,
  status: "new",
  entryTier: { name: { en: "Member", "zh-CN": "会员" } },
  lifecycleStage: null,
  orders: { count: 0, netSpentMinor: 0, currencyCode: "USD", lastOrderAt: null },
};

const block = (view: PosCustomerView, locale = "en-US") => render(<CustomerBlock state={{ kind: "ok", value: view }} words={intlWords(locale)} onOpenFile={() => undefined} />);

describe("customer details block", () => {
  it("tells staff who a member is to the shop, what to know now and what is owed", () => {
    expect(shopperText(block(member))).toBe(
      "MemberCare Gold member since Mar 2, 2026 $42.00 more to reach Platinum Key customer · At risk Last order Nov 20, 2026 · 7 orders in all Customer file 52% complete Last saved by Mei Lin on Nov 20, 2026 " +
        "Birthday in 2 days Does not want promotions Sizes: clothing M, shoes EU 38 Follow-up: Birthday on Dec 9, 2026 (due Dec 9, 2026) Update customer file",
    );
  });

  it("says it in Chinese, tier names included", () => {
    expect(shopperText(block(member, "zh-CN"))).toBe(
      "MemberCare 2026年3月2日 起为金卡会员 再消费 US$42.00 即可升级为白金卡 重点客户 · 有流失风险 最近订单 2026年11月20日 · 共 7 笔订单 客户档案完整度 52% Mei Lin 于 2026年11月20日 最后保存 " +
        "2 天后生日 不希望收到促销信息 尺码：服装 M, 鞋 EU 38 待跟进：2026年12月9日 生日（2026年12月9日 前） 更新客户档案",
    );
  });

  it("tells staff a customer with purchases is not a member yet, and offers to register their file", () => {
    expect(shopperText(block(nonMember))).toBe("MemberCare Not a member yet New Last order Dec 1, 2026 · 1 order in all No customer file yet: ask a few questions and register it. Ask about: Preferred channel Register customer file");
    expect(shopperText(block(nonMember, "zh-CN"))).toBe("MemberCare 尚未成为会员 新顾客 最近订单 2026年12月1日 · 共 1 笔订单 尚无客户档案：问几个问题，为顾客建档。 可以问问：首选联系渠道 建立客户档案");
  });

  it("greets a customer new to the shop with the tier their first order brings, one tap from registering them", () => {
    expect(shopperText(block(newCustomer))).toBe("MemberCare New to the shop Joins Member with their first order No orders yet No customer file yet: ask a few questions and register it. Ask about: Preferred channel Register customer file");
    expect(shopperText(block(newCustomer, "zh-CN"))).toBe("MemberCare 新顾客 首笔订单后即成为会员 尚无订单 尚无客户档案：问几个问题，为顾客建档。 可以问问：首选联系渠道 建立客户档案");
  });

  it("warns of a tier under review and says when a member is at the top", () => {
    const top = { ...member, member: { ...member.member!, progress: null, downgradeOn: "2027-01-31T16:00:00.000Z" } };
    expect(shopperText(block(top))).toContain("At the top tier Tier under review on Jan 31, 2027");
  });

  it("says it is loading, and what to do when the app cannot be used", () => {
    const words = intlWords("en-US");
    expect(shopperText(render(<CustomerBlock state={{ kind: "loading" }} words={words} onOpenFile={() => undefined} />))).toBe("MemberCare Loading the customer's membership…");
    expect(shopperText(render(<CustomerBlock state={{ kind: "noPermission" }} words={words} onOpenFile={() => undefined} />))).toContain("Ask the store owner to give it the app permission.");
    expect(shopperText(render(<CustomerBlock state={{ kind: "unreachable" }} words={words} onOpenFile={() => undefined} />))).toContain("MemberCare could not be reached.");
  });
});

describe("customer file form", () => {
  const form = (draft = draftOf(member.file.values), errors = {}, locale = "en-US") =>
    render(<FileForm draft={draft} errors={errors} choices={choices} t={translator(locale)} busy={false} onChange={() => undefined} onSave={() => undefined} />);

  it("asks how to contact the customer first, as taps, with the file's answers chosen", () => {
    const html = form();
    expect(shopperText(html)).toMatch(/^What the customer tells you.* Preferred channel Email SMS Phone Do not contact Not known Preferred contact time Morning Afternoon Evening Any time Not known Accepts promotions Yes No Not known Clothing size Shoe size/);
    expect(html).toContain('<s-choice value="sms" selected>SMS</s-choice>');
    expect(html).toContain('<s-choice value="unknown" selected>Not known</s-choice>'); // contact time not known yet
    expect(html).toContain('<s-choice value="no" selected>No</s-choice>');
    expect(html).toContain('label="Shoe size" value="EU 38"');
  });

  it("sends what the admin's validation accepts, giving back the same file", () => {
    const parsed = parseCustomerFileForm(requestOf(draftOf(member.file.values)) as Record<string, unknown>);
    expect(parsed).toEqual({ ok: true, form: { ...member.file.values, confirm: [] } });
    const confirmed = parseCustomerFileForm(requestOf({ ...draftOf(member.file.values), confirmRest: true }) as Record<string, unknown>);
    expect(confirmed.ok && confirmed.form.confirm.sort()).toEqual(["acceptsPromotions", "birthday", "clothingSize", "preferredChannel", "shoeSize", "tags"]);
  });

  it("shows each refusal beside its field, in the staff member's language", () => {
    const errors = { birthday: "customerFile.errors.birthday", preferredChannel: "customerFile.errors.preferredChannel" };
    const text = shopperText(form(draftOf(member.file.values), errors, "zh-CN"));
    expect(text).toContain("请检查下方标出的字段。");
    expect(text).toContain("首选联系渠道 电子邮件 短信 电话 请勿联系 未知 请选择电子邮件、短信、电话或请勿联系。");
    expect(text).toContain("生日（MM-DD 或 YYYY-MM-DD） 请输入有效日期，格式为 MM-DD 或 YYYY-MM-DD。");
  });
});

describe("home tile and follow-ups", () => {
  const view: PosFollowUpsView = {
    today: "2026-12-07",
    total: 3,
    outcomes: choices.outcomes,
    tasks: [
      { id: "a", reason: "deliveryProblem", dueOn: "2026-12-06", detail: {}, assigneeName: "Mei Lin", overdue: true, customer: { id: "1", name: "Ada Lovelace", email: "ada@example.com", phone: "+44 20 7946 0000" } },
      { id: "b", reason: "thinFile", dueOn: "2026-12-20", detail: { completeness: 30 }, assigneeName: null, overdue: false, customer: { id: "2", name: null, email: "alan@example.com", phone: null } },
    ],
  };

  it("counts today's follow-ups on the tile", () => {
    const t = translator("en-US");
    // (render-to-string writes the itemCount property as an attribute, lowercased.)
    expect(render(<HomeTile count={3} t={t} onOpen={() => undefined} />)).toBe('<s-tile heading="Follow-ups" subheading="3 to contact today" itemcount="3" tone="accent"></s-tile>');
    expect(render(<HomeTile count={0} t={t} onOpen={() => undefined} />)).toContain('subheading="Nobody to contact today"');
    expect(render(<HomeTile count={1} t={translator("zh-CN")} onOpen={() => undefined} />)).toContain('subheading="今天需联系 1 位"');
  });

  it("lists who to contact and why, with no outcome chosen until staff choose one", () => {
    const html = render(<FollowUpList view={view} drafts={{}} words={intlWords("en-US")} onChange={() => undefined} onRecord={() => undefined} />);
    const text = shopperText(html);
    expect(text).toMatch(/^Ada Lovelace Delivery problem Overdue \+44 20 7946 0000 · ada@example.com Assigned to Mei Lin Outcome Reached No answer Declined Resolved Not needed/);
    expect(text).toContain("alan@example.com Valuable customer, thin file (30%) alan@example.com");
    expect(text).toContain("1 more on the Follow-ups page in MemberCare");
    expect(html).not.toContain("selected");
  });

  it("asks for an outcome before recording, and says when one is recorded", () => {
    const words = intlWords("en-US");
    const asked = shopperText(render(<FollowUpList view={view} drafts={{ a: { ...EMPTY_OUTCOME, state: "chooseOutcome" } }} words={words} onChange={() => undefined} onRecord={() => undefined} />));
    expect(asked).toContain("Choose an outcome first.");
    const recorded = shopperText(render(<FollowUpList view={view} drafts={{ a: { outcome: "reached", note: "", state: "recorded" } }} words={words} onChange={() => undefined} onRecord={() => undefined} />));
    expect(recorded).toMatch(/^Ada Lovelace Delivery problem Overdue .* Assigned to Mei Lin Outcome recorded alan@example.com/);
    expect(shopperText(render(<FollowUpList view={{ ...view, total: 0, tasks: [] }} drafts={{}} words={words} onChange={() => undefined} onRecord={() => undefined} />))).toBe("Nobody to contact today at this store.");
  });
});
