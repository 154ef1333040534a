// A dispatcher in a process of its own, for tests/dispatch-crash.test.ts to
// SIGKILL mid-batch: startDispatcher on DATABASE_URL with the real email
// channel (pooled SMTP) pointed at SMTP_URL, the test's inbox.
//
// Its clock stands still at DISPATCH_NOW: the test chooses the moment, so the
// policy's quiet hours never depend on when the test runs, and a successor
// started at a later DISPATCH_NOW finds the killed one's leases run out
// without anyone waiting for them. Flow content is fixed here (the flows'
// own content is the care planner's), as the dispatcher tests do.
import type { Channel } from "~/domain/care/types";
import { emailChannel } from "~/services/channels/email.server";
import type { ChannelSender } from "~/services/channels/types";
import { startDispatcher } from "~/services/dispatcher.server";

const now = new Date(process.env.DISPATCH_NOW ?? "");
if (Number.isNaN(now.getTime())) throw new Error("DISPATCH_NOW must be an ISO time");
const smtpUrl = process.env.SMTP_URL;
if (!smtpUrl) throw new Error("SMTP_URL is not set");

const email = emailChannel({ smtpUrl });
const unused: ChannelSender = { send: async () => ({ status: "rejected", reason: "not used by this test" }) };
const content = { subject: "Hello {{firstName}}", body: "How is your {{productTitle}}?", sms: "Hi {{firstName}}" };

const dispatcher = startDispatcher({
  channels: { email, sms: unused, flow: unused } as Record<Channel, ChannelSender>,
  clock: { now: () => now },
  leaseMs: Number(process.env.DISPATCH_LEASE_MS ?? 5 * 60_000),
  limit: Number(process.env.DISPATCH_LIMIT ?? 100),
  idleMs: 50,
  // One message in flight (DISPATCH_IN_FLIGHT=1; the default is the pool's
  // size, ADR 0024): the crash test places each kill on one message the inbox
  // holds unanswered, and asserts that exactly that one is in doubt. A crash
  // leaves in doubt at most what was in flight, here one.
  inFlight: { email: 1 },
  owner: `child-${process.pid}`,
  content: { flow: async () => ({ enabled: true, allowWithoutConsent: false, content }) },
  unsubscribeUrl: (shop, customer, channel) => `https://membercare.test/unsubscribe/${shop}/${customer}/${channel}`,
  log: (message) => console.error(message),
});
console.log(`dispatcher ${process.pid} started`);

process.on("SIGTERM", () => {
  void dispatcher.stop().then(() => {
    email.close();
    process.exit(0);
  });
});
