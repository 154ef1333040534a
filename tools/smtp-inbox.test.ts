// The local SMTP inbox receives what a real SMTP client sends and shows it.
import nodemailer from "nodemailer";
import { startSmtpInbox, type SmtpInbox } from "./smtp-inbox";

let inbox: SmtpInbox;
beforeAll(async () => {
  inbox = await startSmtpInbox();
});
afterAll(() => inbox.close());

it("keeps a message sent over SMTP and shows it, headers included, in its page", async () => {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: inbox.smtpPort, secure: false, ignoreTLS: true });
  await transport.sendMail({
    from: "care@membercare-demo.example",
    to: "ava.chen.1@example.com",
    subject: "Your parcel arrived 包裹已送达",
    text: "How is everything?",
    html: "<p>How is <b>everything</b>?</p>",
    headers: { "List-Unsubscribe": "<https://membercare.demo/unsubscribe/abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  });
  expect(inbox.messages).toHaveLength(1);
  expect(inbox.messages[0]).toMatchObject({ to: ["ava.chen.1@example.com"], subject: "Your parcel arrived 包裹已送达", text: "How is everything?" });

  const list = await (await fetch(inbox.url)).text();
  expect(list).toContain("SMTP inbox: 1 message");
  expect(list).toContain("Your parcel arrived 包裹已送达");
  const page = await (await fetch(`${inbox.url}messages/1`)).text();
  expect(page).toContain("list-unsubscribe-post");
  expect(page).toContain("List-Unsubscribe=One-Click");
  expect(page).toContain("&lt;b&gt;everything&lt;/b&gt;"); // the HTML body, escaped into a sandboxed frame
  expect((await fetch(`${inbox.url}messages/2`)).status).toBe(404);
});
