import * as opaque from "@serenity-kit/opaque";
import type { Kysely } from "kysely";
import type { Database } from "./db/schema.js";

const SETTING_KEY = "opaque_server_setup";

/**
 * The OPAQUE server setup (long-term server key pair + OPRF seed): from the environment, or generated once and
 * kept in the database so every process and restart uses the same one (else every record becomes useless).
 */
export async function loadOpaqueSetup(db: Kysely<Database>, fromEnv: string | null): Promise<string> {
  await opaque.ready;
  if (fromEnv) return fromEnv;
  await db
    .insertInto("settings")
    .values({ key: SETTING_KEY, value: opaque.server.createSetup() })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", SETTING_KEY)
    .executeTakeFirstOrThrow();
  return row.value;
}
