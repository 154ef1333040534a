// Gives every test file its own migrated SQLite database, before any app module
// (and so any Prisma client) is imported.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";

const dir = process.env.MEMBERCARE_TEST_DB_DIR;
if (!dir) throw new Error("MEMBERCARE_TEST_DB_DIR is not set: tests/support/global-setup.ts did not run");
const file = path.join(dir, `${process.env.VITEST_POOL_ID ?? "0"}-${randomUUID()}.sqlite`);
fs.copyFileSync(path.join(dir, "template.sqlite"), file);
process.env.DATABASE_URL = `file:${file}`;
