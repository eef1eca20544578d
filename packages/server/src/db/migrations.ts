import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";

/** One migration set for SQLite and PostgreSQL: only portable column types (text, bigint). */
const migrations: Record<string, Migration> = {
  "0001_initial": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull().unique())
        .addColumn("opaque_record", "text", (c) => c.notNull())
        .addColumn("key_bundle", "text", (c) => c.notNull())
        .addColumn("recovery_verifier", "text", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("device_name", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_used_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
      await db.schema
        .createTable("auth_states")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("user_id", "text")
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("albums")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("encrypted_name", "text", (c) => c.notNull())
        .addColumn("wrapped_album_key", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("albums_user_seq").on("albums").columns(["user_id", "seq"]).execute();
      await db.schema
        .createTable("files")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("blob_key", "text", (c) => c.notNull().unique())
        .addColumn("encrypted_metadata", "text", (c) => c.notNull())
        .addColumn("content_size", "bigint", (c) => c.notNull())
        .addColumn("grid_size", "bigint", (c) => c.notNull())
        .addColumn("preview_size", "bigint", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("trashed_at", "text")
        .addColumn("seq", "bigint", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("files_user_seq").on("files").columns(["user_id", "seq"]).execute();
      await db.schema
        .createTable("album_files")
        .addColumn("album_id", "text", (c) => c.notNull())
        .addColumn("file_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("wrapped_file_key", "text", (c) => c.notNull())
        .addColumn("added_seq", "bigint", (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("album_files_pk", ["album_id", "file_id"])
        .execute();
      await db.schema.createIndex("album_files_file").on("album_files").column("file_id").execute();
      await db.schema
        .createTable("tombstones")
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("object_id", "text", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("tombstones_pk", ["user_id", "kind", "object_id"])
        .execute();
      await db.schema
        .createTable("uploads")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("uploads_user").on("uploads").column("user_id").execute();
    },
  },
  "0002_sharing": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("albums")
        .addColumn("key_version", "bigint", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .alterTable("album_files")
        .addColumn("key_version", "bigint", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable("album_files").addColumn("content_digest", "text").execute();
      await db.schema.alterTable("album_files").addColumn("signature", "text").execute();
      await db.schema
        .createTable("album_members")
        .addColumn("album_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("key_version", "bigint", (c) => c.notNull())
        .addColumn("sealed_album_key", "text", (c) => c.notNull())
        .addColumn("grant", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("album_members_pk", ["album_id", "user_id"])
        .execute();
      await db.schema.createIndex("album_members_user").on("album_members").column("user_id").execute();
      await db.schema
        .createTable("album_key_chain")
        .addColumn("album_id", "text", (c) => c.notNull())
        .addColumn("version", "bigint", (c) => c.notNull())
        .addColumn("wrapped_key", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("album_key_chain_pk", ["album_id", "version"])
        .execute();
      await db.schema
        .createTable("links")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("target_id", "text", (c) => c.notNull())
        .addColumn("wrapped_key", "text", (c) => c.notNull())
        .addColumn("key_version", "bigint", (c) => c.notNull())
        .addColumn("kdf", "text")
        .addColumn("expires_at", "text")
        .addColumn("allow_download", "bigint", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .execute();
      await db.schema.createIndex("links_user").on("links").column("user_id").execute();
    },
  },
  "0003_users_used_bytes": {
    // Quota checks on every upload read this running total; summing the user's files instead cost O(files).
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("users")
        .addColumn("used_bytes", "bigint", (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update users set used_bytes = (select coalesce(sum(content_size + grid_size + preview_size), 0) from files where files.user_id = users.id)`.execute(
        db,
      );
    },
  },
  "0004_library_checkpoints_link_rosters": {
    async up(db: Kysely<unknown>) {
      // One sealed checkpoint per user (the library state its devices vouch for), replaced by compare-and-set.
      await db.schema
        .createTable("library_checkpoints")
        .addColumn("user_id", "text", (c) => c.primaryKey())
        .addColumn("counter", "bigint", (c) => c.notNull())
        .addColumn("checkpoint", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      // An album link's roster (owner and contributors' signing keys and grants), sealed under the link key.
      await db.schema.alterTable("links").addColumn("roster", "text").execute();
    },
  },
  "0005_live_files": {
    // While a file is a live recording (docs/PROTOCOL.md, "Live uploads"): the time of its last append.
    // Null once finished; content_size is the appended length meanwhile.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("files").addColumn("live_appended_at", "text").execute();
      await db.schema
        .createIndex("files_live")
        .on("files")
        .columns(["user_id", "live_appended_at"])
        .execute();
    },
  },
  "0006_checkpoint_heads": {
    // The checkpoint's small sealed head (SPEC §15, "Head"), written with it: what a view needs before its first
    // screen. Null for a checkpoint written without one.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("library_checkpoints").addColumn("head", "text").execute();
    },
  },
};

class StaticMigrations implements MigrationProvider {
  async getMigrations() {
    return migrations;
  }
}

/** Runs every migration not yet applied, or (tests of a migration's data step) those up to `target`. */
export async function migrate(db: Kysely<unknown>, target?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticMigrations() });
  const { error } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) throw error;
}
