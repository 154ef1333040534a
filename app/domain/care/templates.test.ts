import { renderMessage, smsSegments, templateProblems, templateVariablesUsed, SMS_MAX_LENGTH } from "./templates";

const content = {
  subject: "How is your {{ productTitle }}, {{firstName}}?",
  body: "Hi {{firstName}},\n\nyour order {{orderName}} arrived.\nTell us how it went: {{reviewUrl}}.\n\n\nThe {{shopName}} team",
  sms: "Hi {{firstName}}, your {{productTitle}} arrived. Review: {{reviewUrl}}",
};
const variables = { firstName: "Ava", productTitle: "Linen shirt", orderName: "#1001", reviewUrl: "https://shop.example/review?o=1001&s=5" };
const transactional = { locale: "en", unsubscribeUrl: null, shopName: "Maple & Co" };
const marketing = { ...transactional, unsubscribeUrl: "https://membercare.test/unsubscribe/abc.def" };

describe("renderMessage", () => {
  it("fills placeholders in every part, with or without spaces inside the braces", () => {
    const out = renderMessage(content, variables, transactional);
    expect(out.subject).toBe("How is your Linen shirt, Ava?");
    expect(out.text).toContain("Hi Ava,\n\nyour order #1001 arrived.\nTell us how it went: https://shop.example/review?o=1001&s=5.");
    expect(out.text).toContain("The Maple & Co team");
    expect(out.sms).toBe("Maple & Co: Hi Ava, your Linen shirt arrived. Review: https://shop.example/review?o=1001&s=5");
  });

  it("makes paragraphs from blank lines, keeps single line breaks, and links URLs in the HTML part", () => {
    const { html } = renderMessage(content, variables, transactional);
    const paragraphs = [...html.matchAll(/<p style="margin:0 0 16px">([\s\S]*?)<\/p>/g)].map((m) => m[1]);
    expect(paragraphs).toEqual([
      "Hi Ava,",
      'your order #1001 arrived.<br>Tell us how it went: <a href="https://shop.example/review?o=1001&amp;s=5" style="color:#005bd3">https://shop.example/review?o=1001&amp;s=5</a>.',
      "The Maple &amp; Co team",
    ]);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<title>How is your Linen shirt, Ava?</title>");
    expect(html).toContain('role="article"');
  });

  it("escapes values and the merchant's text in HTML, and leaves them as they are in text and SMS", () => {
    const out = renderMessage({ subject: "Hi {{firstName}}", body: "Dear {{firstName}} <3", sms: "Hi {{firstName}}" }, { firstName: '<img src=x onerror="alert(1)">' }, transactional);
    expect(out.html).not.toContain("<img");
    expect(out.html).toContain("Dear &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &lt;3");
    expect(out.text).toContain('Dear <img src=x onerror="alert(1)"> <3');
    expect(out.sms).toContain('Hi <img src=x onerror="alert(1)">');
  });

  it("renders an unknown or missing variable as nothing, never as braces", () => {
    const out = renderMessage({ subject: "{{firstName}}, {{nosuch}}here", body: "A{{lastName}}B {{ nosuch }}C", sms: "x{{nosuch}}y" }, { firstName: "Ava", lastName: null }, transactional);
    expect(out.subject).toBe("Ava, here");
    expect(out.text.split("\n\n")[0]).toBe("AB C");
    expect(out.sms).toBe("Maple & Co: xy");
    expect(`${out.subject}${out.text}${out.html}${out.sms}`).not.toContain("{{");
  });

  it("keeps the subject on one line whatever a value holds (no header injection)", () => {
    expect(renderMessage({ subject: "Hi {{firstName}}", body: "", sms: "" }, { firstName: "Ava\r\nBcc: x@evil.example" }, transactional).subject).toBe("Hi Ava Bcc: x@evil.example");
  });

  it("shows a visible unsubscribe link in both email parts of a marketing message, and none in a transactional one", () => {
    const out = renderMessage(content, variables, marketing);
    expect(out.text).toContain("To stop these emails, unsubscribe here: https://membercare.test/unsubscribe/abc.def");
    expect(out.html).toContain('<a href="https://membercare.test/unsubscribe/abc.def" style="color:#005bd3">Unsubscribe from Maple &amp; Co marketing emails</a>');
    expect(out.sms).toMatch(/ Reply STOP to opt out$/);

    const plain = renderMessage(content, variables, transactional);
    expect(plain.text).not.toContain("unsubscribe");
    expect(plain.html).not.toContain("unsubscribe");
    expect(plain.sms).not.toContain("STOP");
  });

  it("writes the footer, the layout's language and the SMS signature and hint in Chinese for a zh locale", () => {
    const zh = renderMessage(
      { subject: "{{firstName}}，包裹已送达", body: "您好 {{firstName}}：\n\n您的 {{productTitle}} 已送达。", sms: "{{firstName}}您好，您的{{productTitle}}已送达。" },
      { firstName: "小明", productTitle: "真丝枕套" },
      { locale: "zh-CN", unsubscribeUrl: "https://membercare.test/unsubscribe/abc.def", shopName: "枫叶小店" },
    );
    expect(zh.subject).toBe("小明，包裹已送达");
    expect(zh.text).toContain("您的 真丝枕套 已送达。");
    expect(zh.text).toContain("这封邮件来自 枫叶小店。");
    expect(zh.text).toContain("如不想再收到此类邮件，请点此退订：https://membercare.test/unsubscribe/abc.def");
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(zh.html).toContain("退订 枫叶小店 的营销邮件");
    expect(zh.sms).toBe("【枫叶小店】小明您好，您的真丝枕套已送达。回复TD退订");
    // Any Chinese tag reads Simplified Chinese; other languages fall back to English.
    expect(renderMessage(content, variables, { ...marketing, locale: "zh-TW" }).text).toContain("如不想再收到此类邮件");
    expect(renderMessage(content, variables, { ...marketing, locale: "fr" }).text).toContain("To stop these emails");
  });

  it("keeps an SMS within the provider's limit with the STOP hint whole", () => {
    const sms = renderMessage({ subject: "", body: "", sms: "x".repeat(2000) }, {}, marketing).sms;
    expect(sms.length).toBe(SMS_MAX_LENGTH);
    expect(sms).toMatch(/x… Reply STOP to opt out$/);
    expect(renderMessage({ subject: "", body: "", sms: "  {{nosuch}}  " }, {}, marketing).sms).toBe("");
  });

  it("does not sign an SMS twice when the text already names the shop", () => {
    expect(renderMessage({ subject: "", body: "", sms: "{{shopName}}: hello" }, {}, transactional).sms).toBe("Maple & Co: hello");
  });
});

describe("templateProblems", () => {
  it("accepts a template that uses only known variables", () => {
    expect(templateProblems(content)).toEqual([]);
  });

  it("names unknown variables, unbalanced braces and placeholders that are not names, per field", () => {
    expect(templateProblems({ subject: "Hi {{frstName}}", body: "Hello {{firstName}\n\nand {{ first name }} and }} too", sms: "{{firstName}} {{" })).toEqual([
      { field: "subject", kind: "unknownVariable", variable: "frstName", index: 3 },
      { field: "body", kind: "unbalancedBraces", index: 6 },
      { field: "body", kind: "invalidPlaceholder", text: "{{ first name }}", index: 24 },
      { field: "body", kind: "unbalancedBraces", index: 45 },
      { field: "sms", kind: "unbalancedBraces", index: 14 },
    ]);
  });

  it("checks against the variables the caller says a flow fills in", () => {
    expect(templateProblems({ body: "{{offerCode}}" }, ["firstName"])).toEqual([{ field: "body", kind: "unknownVariable", variable: "offerCode", index: 0 }]);
  });

  it("lists the variables a template uses, once each", () => {
    expect(templateVariablesUsed(content)).toEqual(["productTitle", "firstName", "orderName", "reviewUrl", "shopName"]);
  });
});

describe("smsSegments", () => {
  it.each([
    ["", "GSM-7", 0, 0],
    ["a".repeat(160), "GSM-7", 160, 1],
    ["a".repeat(161), "GSM-7", 161, 2],
    ["a".repeat(306), "GSM-7", 306, 2],
    ["a".repeat(307), "GSM-7", 307, 3],
    // Extension characters take two septets each.
    ["€".repeat(80), "GSM-7", 160, 1],
    ["€".repeat(81), "GSM-7", 162, 2],
    ["包".repeat(70), "UCS-2", 70, 1],
    ["包".repeat(71), "UCS-2", 71, 2],
    ["包".repeat(134), "UCS-2", 134, 2],
    ["包".repeat(135), "UCS-2", 135, 3],
    // One character outside GSM-7 turns the whole text into UCS-2; an emoji takes two units.
    [`${"a".repeat(69)}😀`, "UCS-2", 71, 2],
  ] as const)("%#: counts %s", (text, encoding, units, segments) => {
    expect(smsSegments(text)).toMatchObject({ encoding, units, segments });
  });
});
