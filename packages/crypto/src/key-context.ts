import { assertIdField, encodeAssociatedData } from "./associated-data.js";
import { InvalidInputError } from "./errors.js";

export const WRAP_LABEL = "umbra/v1/wrap";

/** What a wrapped key is for. Bound into the associated data so a key cannot be unwrapped as something else. */
export const KEY_PURPOSES = [
  "master-key/password",
  "master-key/recovery",
  "album-key",
  "file-key",
  // Reserved for the sharing issue (the user's X25519/Ed25519 private keys wrapped by the master key).
  "identity-private-key",
  "recovery-phrase",
] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/**
 * Where a wrapped key belongs. `ownerId` is the id of the object whose key does the wrapping
 * (the user for master-key and album-key wraps, the album for file-key wraps); `objectId` is the wrapped key's object.
 */
export interface KeyContext {
  purpose: KeyPurpose;
  ownerId: string;
  objectId: string;
  /**
   * The album key's generation, bound into album-key wraps from generation 2 on (SPEC §4.1): a wrap of one
   * generation cannot be presented as another. Absent for everything else and for generation 1.
   */
  generation?: number;
}

export function assertKeyContext(context: unknown): asserts context is KeyContext {
  if (typeof context !== "object" || context === null) throw new InvalidInputError("Missing key context");
  const { purpose, ownerId, objectId } = context as Record<string, unknown>;
  if (!KEY_PURPOSES.includes(purpose as KeyPurpose)) {
    throw new InvalidInputError(`Unknown key purpose ${JSON.stringify(purpose)}`);
  }
  assertIdField(ownerId, "ownerId");
  assertIdField(objectId, "objectId");
  const { generation } = context as { generation?: unknown };
  if (generation !== undefined) {
    if (purpose !== "album-key") throw new InvalidInputError("Only album-key wraps carry a generation");
    if (typeof generation !== "number" || !Number.isSafeInteger(generation) || generation < 2) {
      throw new InvalidInputError("An album key generation is an integer ≥ 2 (generation 1 carries none)");
    }
  }
}

/**
 * `enc("umbra/v1/wrap", purpose, ownerId, objectId)`, or with `generation` as a fifth field, in the
 * length-prefixed field encoding.
 */
export function keyContextAssociatedData(context: KeyContext): Uint8Array {
  assertKeyContext(context);
  const fields = [WRAP_LABEL, context.purpose, context.ownerId, context.objectId];
  if (context.generation !== undefined) fields.push(String(context.generation));
  return encodeAssociatedData(fields);
}

export function passwordMasterKeyContext(userId: string): KeyContext {
  return { purpose: "master-key/password", ownerId: userId, objectId: userId };
}

export function recoveryMasterKeyContext(userId: string): KeyContext {
  return { purpose: "master-key/recovery", ownerId: userId, objectId: userId };
}

/** An album key of `generation` (its key version) wrapped by its owner's master key. */
export function albumKeyContext(userId: string, albumId: string, generation = 1): KeyContext {
  const context: KeyContext = { purpose: "album-key", ownerId: userId, objectId: albumId };
  return generation === 1 ? context : { ...context, generation };
}

/** A file key wrapped by the key of one album that holds the file. */
export function fileKeyContext(albumId: string, fileId: string): KeyContext {
  return { purpose: "file-key", ownerId: albumId, objectId: fileId };
}

/** The recovery phrase's 32 bytes of entropy, wrapped by the master key so Settings can show it again. */
export function recoveryPhraseContext(userId: string): KeyContext {
  return { purpose: "recovery-phrase", ownerId: userId, objectId: userId };
}
