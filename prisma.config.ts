// Prisma CLI configuration. With engine "js" and a driver adapter, Prisma 6.19
// runs generate and migrate with no native engine download (see
// docs/decisions/0001-prisma-6-driver-adapters.md).
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { sqliteFileUrl } from "./app/db-url";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    return new PrismaLibSQL({ url: sqliteFileUrl(process.env.DATABASE_URL) });
  },
});
