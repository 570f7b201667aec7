/**
 * Child process for `migrate_concurrency_test.ts`: opens (and so migrates) the database named by
 * `DATABASE_URL`, then exits 0. The URL travels in the environment, not argv, where it would be
 * visible to every user of the machine.
 */
import { openDatabase } from "../mod.ts";

const db = await openDatabase({ url: Deno.env.get("DATABASE_URL"), dataDir: "unused" });
await db.close();
