import {
  assertKdfParams,
  decryptAlbumName,
  decryptMetadata,
  encryptAlbumName,
  encryptMetadata,
  fileContentAssociatedData,
  generateAlbumKey,
  generateMasterKey,
  generateRecoveryPhrase,
  recoverySecretsFromPhrase,
  recoveryVerifier,
  TamperedError,
  toBase64Url,
  unwrapAlbumKey,
  unwrapFileKey,
  unwrapMasterKeyWithPassword,
  unwrapMasterKeyWithRecovery,
  unwrapRecoveryPhrase,
  wrapAlbumKey,
  wrapFileKey,
  wrapMasterKeyWithPassword,
  wrapMasterKeyWithRecovery,
  wrapRecoveryPhrase,
} from "@umbra/crypto";
import type { KdfParams, KeyBundle } from "@umbra/protocol";
import { errorCode, InvalidResponseError, UmbraClientError } from "./errors.js";
import { FileMetadata } from "./metadata.js";
import { decodeWire } from "./wire.js";

/** The one place the client turns protocol strings into key operations (base64url ↔ bytes, contexts). */

export const LIBRARY_ALBUM_NAME = "Library";

export interface AccountSecrets {
  masterKey: Uint8Array;
  keyBundle: KeyBundle;
  recoveryPhrase: string;
  recoveryVerifier: string;
}

export async function createAccountSecrets(userId: string, password: string): Promise<AccountSecrets> {
  const masterKey = generateMasterKey();
  const recoveryPhrase = generateRecoveryPhrase();
  const recovery = await recoverySecretsFromPhrase(recoveryPhrase);
  const byPassword = await wrapMasterKeyWithPassword(masterKey, password, userId);
  const byRecovery = await wrapMasterKeyWithRecovery(masterKey, recovery.wrappingKey, userId);
  return {
    masterKey,
    recoveryPhrase,
    recoveryVerifier: toBase64Url(recoveryVerifier(recovery.authKey)),
    keyBundle: {
      version: 1,
      userId,
      kdf: byPassword.kdf,
      passwordWrappedMasterKey: toBase64Url(byPassword.wrapped),
      recoveryWrappedMasterKey: toBase64Url(byRecovery),
      publicKeys: null,
      wrappedPrivateKeys: null,
      recoveryWrappedPhrase: toBase64Url(await wrapRecoveryPhrase(masterKey, userId, recoveryPhrase)),
    },
  };
}

/** The 24 words again, from the key bundle; accounts created before this existed have none. */
export async function revealRecoveryPhrase(bundle: KeyBundle, masterKey: Uint8Array): Promise<string> {
  if (!bundle.recoveryWrappedPhrase) {
    throw new UmbraClientError(
      "NOT_FOUND",
      "This account was created before Umbra kept the phrase: use the copy you wrote down at sign-up",
    );
  }
  return unwrapRecoveryPhrase(
    masterKey,
    bundle.userId,
    decodeWire(bundle.recoveryWrappedPhrase, "recoveryWrappedPhrase"),
  );
}

/**
 * Checks a key bundle from the server before using it: the user id must be the one we expect and the
 * KDF parameters at least the minimum (a downgrade raises WEAK_KDF_PARAMS). Wrapped keys are checked
 * by authentication when they are opened (TAMPERED on an AD mismatch).
 */
export function validateKeyBundle(bundle: KeyBundle, expectedUserId: string): void {
  if (bundle.userId !== expectedUserId) {
    throw new TamperedError("The key bundle belongs to another user");
  }
  assertKdfParams(bundle.kdf);
}

export function unlockMasterKeyWithPassword(bundle: KeyBundle, password: string): Promise<Uint8Array> {
  return unwrapMasterKeyWithPassword(
    { kdf: bundle.kdf, wrapped: decodeWire(bundle.passwordWrappedMasterKey, "passwordWrappedMasterKey") },
    password,
    bundle.userId,
  );
}

export async function unlockMasterKeyWithRecovery(
  userId: string,
  recoveryWrappedMasterKey: string,
  phrase: string,
): Promise<Uint8Array> {
  const { wrappingKey } = await recoverySecretsFromPhrase(phrase);
  return unwrapMasterKeyWithRecovery(
    decodeWire(recoveryWrappedMasterKey, "recoveryWrappedMasterKey"),
    wrappingKey,
    userId,
  );
}

export async function recoveryAuthKeyFromPhrase(phrase: string): Promise<string> {
  return toBase64Url((await recoverySecretsFromPhrase(phrase)).authKey);
}

export async function rewrapMasterKeyForPassword(
  userId: string,
  masterKey: Uint8Array,
  password: string,
): Promise<{ kdf: KdfParams; passwordWrappedMasterKey: string }> {
  const wrapped = await wrapMasterKeyWithPassword(masterKey, password, userId);
  return { kdf: wrapped.kdf, passwordWrappedMasterKey: toBase64Url(wrapped.wrapped) };
}

export async function newAlbumKeys(
  masterKey: Uint8Array,
  userId: string,
  albumId: string,
  name: string,
): Promise<{ albumKey: Uint8Array; encryptedName: string; wrappedAlbumKey: string }> {
  const albumKey = generateAlbumKey();
  return {
    albumKey,
    encryptedName: await encryptAlbumNameFor(albumKey, albumId, name),
    wrappedAlbumKey: toBase64Url(await wrapAlbumKey(masterKey, albumKey, userId, albumId)),
  };
}

export async function createLibraryAlbum(userId: string, masterKey: Uint8Array, albumId: string) {
  const keys = await newAlbumKeys(masterKey, userId, albumId, LIBRARY_ALBUM_NAME);
  return {
    albumKey: keys.albumKey,
    body: { id: albumId, encryptedName: keys.encryptedName, wrappedAlbumKey: keys.wrappedAlbumKey },
  };
}

/**
 * The album key of `generation` (the record's key version). Albums rotated before generations were bound into
 * the wrap (SPEC §4.1) open with the generation-1 context: `legacy` says so, for the caller to decide.
 */
export async function openAlbumKeyFor(
  masterKey: Uint8Array,
  userId: string,
  albumId: string,
  wrappedAlbumKey: string,
  generation = 1,
): Promise<{ key: Uint8Array; legacy: boolean }> {
  const wrapped = decodeWire(wrappedAlbumKey, "wrappedAlbumKey");
  try {
    return { key: await unwrapAlbumKey(masterKey, wrapped, userId, albumId, generation), legacy: false };
  } catch (error) {
    if (generation === 1 || errorCode(error) !== "TAMPERED") throw error;
    return { key: await unwrapAlbumKey(masterKey, wrapped, userId, albumId, 1), legacy: true };
  }
}

/** The album key of `generation`, legacy wraps included (offline restore: the backup is the user's own copy). */
export async function unwrapAlbumKeyFor(
  masterKey: Uint8Array,
  userId: string,
  albumId: string,
  wrappedAlbumKey: string,
  generation = 1,
): Promise<Uint8Array> {
  return (await openAlbumKeyFor(masterKey, userId, albumId, wrappedAlbumKey, generation)).key;
}

/** The owner's wrap of an album key of `generation` (bound from generation 2 on). */
export async function wrapAlbumKeyFor(
  masterKey: Uint8Array,
  userId: string,
  albumId: string,
  albumKey: Uint8Array,
  generation: number,
): Promise<string> {
  return toBase64Url(await wrapAlbumKey(masterKey, albumKey, userId, albumId, generation));
}

export async function wrapFileKeyFor(
  albumKey: Uint8Array,
  albumId: string,
  fileId: string,
  fileKey: Uint8Array,
): Promise<string> {
  return toBase64Url(await wrapFileKey(albumKey, fileKey, albumId, fileId));
}

export function unwrapFileKeyFor(
  albumKey: Uint8Array,
  albumId: string,
  fileId: string,
  wrappedFileKey: string,
): Promise<Uint8Array> {
  return unwrapFileKey(albumKey, decodeWire(wrappedFileKey, "wrappedFileKey"), albumId, fileId);
}

export async function encryptAlbumNameFor(
  albumKey: Uint8Array,
  albumId: string,
  name: string,
): Promise<string> {
  return toBase64Url(await encryptAlbumName(albumKey, albumId, name));
}

export function decryptAlbumNameFor(
  albumKey: Uint8Array,
  albumId: string,
  encryptedName: string,
): Promise<string> {
  return decryptAlbumName(albumKey, albumId, decodeWire(encryptedName, "encryptedName"));
}

export async function encryptFileMetadata(
  fileKey: Uint8Array,
  fileId: string,
  metadata: FileMetadata,
): Promise<string> {
  return toBase64Url(await encryptMetadata(fileKey, fileId, FileMetadata.parse(metadata)));
}

/** Decrypts (TAMPERED when it does not authenticate) and then validates the shape like any other input. */
export async function decryptFileMetadata(
  fileKey: Uint8Array,
  fileId: string,
  encrypted: string,
): Promise<FileMetadata> {
  const value = await decryptMetadata(fileKey, fileId, decodeWire(encrypted, "encryptedMetadata"));
  const parsed = FileMetadata.safeParse(value);
  if (!parsed.success) throw new InvalidResponseError(`The metadata of ${fileId} has an unexpected shape`);
  return parsed.data;
}

/** Associated data of a file's content stream (SPEC §6.2); the construction is @umbra/crypto's. */
export function contentAssociatedData(fileId: string): Uint8Array {
  return fileContentAssociatedData(fileId);
}
