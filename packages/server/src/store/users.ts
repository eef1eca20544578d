import type { KeyBundle, PasswordFinishBody, SetIdentityBody, SignupFinishBody } from "@umbra/protocol";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { HttpError, invalid, notFound } from "../http-error.js";
import { nowIso } from "../tokens.js";
import type { Db } from "./db.js";
import { deleteSessionsOf } from "./sessions.js";

export async function findUser(db: Db, userId: string) {
  return db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
}

/** The caller's own account (gone meanwhile: 404). */
export async function userRow(db: Db, userId: string) {
  const user = await findUser(db, userId);
  if (!user) throw notFound("account");
  return user;
}

export async function userByEmail(db: Db, email: string) {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

export const keyBundleOf = (user: { key_bundle: string }) => JSON.parse(user.key_bundle) as KeyBundle;

const accountExists = () => new HttpError("ACCOUNT_EXISTS", "an account with this email or id exists");

/** A new account with its library album, both at sequence 1. */
export async function createUser(db: Kysely<Database>, body: SignupFinishBody): Promise<void> {
  const { email, registrationRecord, keyBundle, recoveryVerifier, libraryAlbum } = body;
  const now = nowIso();
  try {
    await db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom("users")
        .select("id")
        .where((eb) => eb.or([eb("email", "=", email), eb("id", "=", keyBundle.userId)]))
        .executeTakeFirst();
      if (taken) throw accountExists();
      await trx
        .insertInto("users")
        .values({
          id: keyBundle.userId,
          email,
          opaque_record: registrationRecord,
          key_bundle: JSON.stringify(keyBundle),
          recovery_verifier: recoveryVerifier,
          seq: 1,
          used_bytes: 0,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto("albums")
        .values({
          id: libraryAlbum.id,
          user_id: keyBundle.userId,
          kind: "library",
          encrypted_name: libraryAlbum.encryptedName,
          wrapped_album_key: libraryAlbum.wrappedAlbumKey,
          created_at: now,
          updated_at: now,
          seq: 1,
        })
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw accountExists();
    throw error;
  }
}

/**
 * Replaces the password (a new OPAQUE record and the master key wrapped by it) and returns the account's
 * email. `missing` is the error for an account that is gone (it differs between a password change and recovery).
 */
async function setPassword(
  trx: Db,
  userId: string,
  change: PasswordFinishBody,
  missing: () => HttpError,
): Promise<string> {
  const user = await trx
    .selectFrom("users")
    .select(["key_bundle", "email"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) throw missing();
  const { passwordWrappedMasterKey, kdf } = change;
  const bundle = { ...keyBundleOf(user), passwordWrappedMasterKey, kdf };
  await trx
    .updateTable("users")
    .set({ opaque_record: change.registrationRecord, key_bundle: JSON.stringify(bundle) })
    .where("id", "=", userId)
    .execute();
  return user.email;
}

/** The signed-in user's new password. */
export async function changePassword(db: Kysely<Database>, userId: string, body: PasswordFinishBody) {
  await db.transaction().execute((trx) => setPassword(trx, userId, body, () => notFound("account")));
}

/** A new password after recovery: every session ends. Returns the account's email. */
export async function recoverPassword(
  db: Kysely<Database>,
  userId: string,
  body: PasswordFinishBody,
  invalidRecovery: () => HttpError,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const email = await setPassword(trx, userId, body, invalidRecovery);
    await deleteSessionsOf(trx, userId);
    return email;
  });
}

const noIdentity = () => notFound("user with sharing keys");

/** A user's published sharing keys; a user without them is 404 as an unknown one. */
export async function userKeys(db: Db, where: { id: string } | { email: string }) {
  let query = db.selectFrom("users").select(["id", "email", "key_bundle"]);
  query = "id" in where ? query.where("id", "=", where.id) : query.where("email", "=", where.email);
  const row = await query.executeTakeFirst();
  if (!row) throw noIdentity();
  const bundle = keyBundleOf(row);
  if (!bundle.publicKeys) throw noIdentity();
  return { userId: row.id, email: row.email, publicKeys: bundle.publicKeys };
}

/** Publishes the caller's sharing keys, once: a later change would look exactly like a server swapping them. */
export async function setIdentity(
  db: Kysely<Database>,
  userId: string,
  { publicKeys, wrappedPrivateKeys }: SetIdentityBody,
): Promise<void> {
  if (publicKeys.userId !== userId) throw invalid("publicKeys.userId must be the caller's user id");
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("users")
      .select("key_bundle")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    const bundle = keyBundleOf(row);
    if (bundle.publicKeys) {
      if (JSON.stringify(bundle.publicKeys) === JSON.stringify(publicKeys)) return;
      throw new HttpError("IDENTITY_EXISTS", "this account already has sharing keys");
    }
    await trx
      .updateTable("users")
      .set({ key_bundle: JSON.stringify({ ...bundle, publicKeys, wrappedPrivateKeys }) })
      .where("id", "=", userId)
      .execute();
  });
}

/**
 * Deletes an account's rows: sharing rows of its own albums (other members' placements included), then its
 * own. Returns the blob keys and upload ids whose bytes the caller removes next.
 */
export async function deleteAccountRows(
  db: Kysely<Database>,
  userId: string,
): Promise<{ blobKeys: string[]; uploadIds: string[] }> {
  return db.transaction().execute(async (trx) => {
    const files = await trx.selectFrom("files").select("blob_key").where("user_id", "=", userId).execute();
    const uploads = await trx.selectFrom("uploads").select("id").where("user_id", "=", userId).execute();
    const owned = (await trx.selectFrom("albums").select("id").where("user_id", "=", userId).execute()).map(
      (a) => a.id,
    );
    if (owned.length > 0) {
      for (const table of ["album_files", "album_members", "album_key_chain"] as const) {
        await trx.deleteFrom(table).where("album_id", "in", owned).execute();
      }
    }
    for (const table of [
      "album_members",
      "links",
      "album_files",
      "files",
      "albums",
      "tombstones",
      "uploads",
      "sessions",
    ] as const) {
      await trx.deleteFrom(table).where("user_id", "=", userId).execute();
    }
    await trx.deleteFrom("auth_states").where("user_id", "=", userId).execute();
    await trx.deleteFrom("users").where("id", "=", userId).execute();
    return { blobKeys: files.map((f) => f.blob_key), uploadIds: uploads.map((u) => u.id) };
  });
}
