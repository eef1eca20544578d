import type { Kysely } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { backends, createDatabase, removeTempDirs, tempDir } from "../../test/server-process.js";
import { connect } from "./connect.js";
import { migrate } from "./migrations.js";

afterAll(removeTempDirs);

describe.each(backends)("migrations ($name)", (backend) => {
  it("0003 fills each user's running total from the files they already hold", async () => {
    const database = await createDatabase(backend, await tempDir());
    const { db } = connect(database.url);
    try {
      await migrate(db as never, "0002_sharing");
      const user = (id: string) => ({
        id,
        email: `${id}@example.com`,
        opaque_record: "r",
        key_bundle: "{}",
        recovery_verifier: "v",
        seq: 1,
        created_at: "2026-01-01T00:00:00.000Z",
      });
      // The old schema has no used_bytes column yet: insert through a loosely typed view of the table.
      const loose = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await loose
        .insertInto("users")
        .values([user("alice"), user("bob"), user("carol")])
        .execute();
      const file = (id: string, userId: string, content: number, trashed: string | null) => ({
        id,
        user_id: userId,
        blob_key: `blob-${id}`,
        encrypted_metadata: "m",
        content_size: content,
        grid_size: 100,
        preview_size: 1000,
        created_at: "2026-01-01T00:00:00.000Z",
        updated_at: "2026-01-01T00:00:00.000Z",
        trashed_at: trashed,
        seq: 2,
      });
      await loose
        .insertInto("files")
        .values([
          file("a1", "alice", 5000, null),
          file("a2", "alice", 7000, "2026-01-02T00:00:00.000Z"),
          file("b1", "bob", 1, null),
        ])
        .execute();

      await migrate(db as never);

      const rows = await db.selectFrom("users").select(["id", "used_bytes"]).orderBy("id").execute();
      expect(rows.map((r) => [r.id, Number(r.used_bytes)])).toEqual([
        ["alice", 5000 + 7000 + 2 * 1100],
        ["bob", 1 + 1100],
        ["carol", 0],
      ]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
