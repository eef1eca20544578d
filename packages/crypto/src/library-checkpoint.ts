import { assertIdField, encodeAssociatedData } from "./associated-data.js";
import { utf8Encode } from "./bytes.js";
import { assertKey32, openEnvelope, sealEnvelope } from "./envelope.js";
import { InvalidInputError } from "./errors.js";
import { hkdfSha256 } from "./hkdf.js";
import { type RandomSource, systemRandom } from "./random.js";

export const CHECKPOINT_KEY_INFO = "umbra/v1/library-checkpoint";
export const CHECKPOINT_LABEL = "umbra/v1/library-checkpoint";

/** The key that seals a user's library checkpoints: HKDF-SHA256(masterKey, info "umbra/v1/library-checkpoint"). */
export function deriveCheckpointKey(masterKey: Uint8Array): Promise<Uint8Array> {
  assertKey32(masterKey, "The master key");
  return hkdfSha256(masterKey, new Uint8Array(0), utf8Encode(CHECKPOINT_KEY_INFO), 32);
}

function assertCounter(counter: unknown): asserts counter is number {
  if (typeof counter !== "number" || !Number.isSafeInteger(counter) || counter < 1) {
    throw new InvalidInputError("A checkpoint counter is an integer ≥ 1");
  }
}

/** `enc(label, "1", userId, counter)`: one label for the body, one for the head (SPEC §15). */
function sealedForAssociatedData(label: string, userId: string, counter: number): Uint8Array {
  assertIdField(userId, "userId");
  assertCounter(counter);
  return encodeAssociatedData([label, "1", userId, String(counter)]);
}

/** `enc("umbra/v1/library-checkpoint", "1", userId, counter)`: a checkpoint opens only as its own user and counter. */
export function checkpointAssociatedData(userId: string, counter: number): Uint8Array {
  return sealedForAssociatedData(CHECKPOINT_LABEL, userId, counter);
}

/** Internal: sealCheckpoint with an injected random source (test vectors). */
export function sealCheckpointWith(
  random: RandomSource,
  checkpointKey: Uint8Array,
  userId: string,
  counter: number,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return sealEnvelope(random, checkpointKey, plaintext, checkpointAssociatedData(userId, counter));
}

/** Seals the library state a client vouches for (SPEC §15); only the user's own devices can make one. */
export function sealCheckpoint(
  checkpointKey: Uint8Array,
  userId: string,
  counter: number,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return sealCheckpointWith(systemRandom, checkpointKey, userId, counter, plaintext);
}

/** Opens a checkpoint; another user's, another counter's or modified bytes → TAMPERED. */
export function openCheckpoint(
  checkpointKey: Uint8Array,
  userId: string,
  counter: number,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  return openEnvelope(checkpointKey, sealed, checkpointAssociatedData(userId, counter));
}

export const CHECKPOINT_HEAD_LABEL = "umbra/v1/library-checkpoint-head";

/**
 * `enc("umbra/v1/library-checkpoint-head", "1", userId, counter)`: a head opens only as a head (never as the
 * checkpoint body or the other way round), of its own user and counter.
 */
export function checkpointHeadAssociatedData(userId: string, counter: number): Uint8Array {
  return sealedForAssociatedData(CHECKPOINT_HEAD_LABEL, userId, counter);
}

/** Internal: sealCheckpointHead with an injected random source (test vectors). */
export function sealCheckpointHeadWith(
  random: RandomSource,
  checkpointKey: Uint8Array,
  userId: string,
  counter: number,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return sealEnvelope(random, checkpointKey, plaintext, checkpointHeadAssociatedData(userId, counter));
}

/** Seals the checkpoint's head (SPEC §15): the few fields a view reads before its first screen. */
export function sealCheckpointHead(
  checkpointKey: Uint8Array,
  userId: string,
  counter: number,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return sealCheckpointHeadWith(systemRandom, checkpointKey, userId, counter, plaintext);
}

/** Opens a head; a checkpoint body, another user's, another counter's or modified bytes → TAMPERED. */
export function openCheckpointHead(
  checkpointKey: Uint8Array,
  userId: string,
  counter: number,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  return openEnvelope(checkpointKey, sealed, checkpointHeadAssociatedData(userId, counter));
}
