import { sha256 } from "@noble/hashes/sha2.js";
import { entropyToMnemonic, mnemonicToEntropy } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { assertIdField } from "./associated-data.js";
import { utf8Encode } from "./bytes.js";
import { assertKey32 } from "./envelope.js";
import { BadRecoveryPhraseError, InvalidInputError, TamperedError } from "./errors.js";
import { hkdfSha256 } from "./hkdf.js";
import { recoveryMasterKeyContext } from "./key-context.js";
import { type RandomSource, systemRandom } from "./random.js";
import { unwrapKey, wrapKeyWith } from "./wrap.js";

export const RECOVERY_WORD_COUNT = 24;
export const RECOVERY_ENTROPY_LENGTH = 32;
export const RECOVERY_WRAPPING_KEY_INFO = "umbra/v1/recovery/wrapping-key";
export const RECOVERY_AUTH_KEY_INFO = "umbra/v1/recovery/auth-key";

const WORD_INDEX = new Map(wordlist.map((word, index) => [word, index]));

export interface RecoverySecrets {
  /** Wraps the master key (purpose master-key/recovery). Never leaves the client. */
  wrappingKey: Uint8Array;
  /** Sent to the server to prove knowledge of the phrase; the server stores only recoveryVerifier(authKey). */
  authKey: Uint8Array;
}

/** Internal: generateRecoveryPhrase with an injected random source. */
export function generateRecoveryPhraseWith(random: RandomSource): string {
  const entropy = random(RECOVERY_ENTROPY_LENGTH);
  if (entropy.length !== RECOVERY_ENTROPY_LENGTH) {
    throw new InvalidInputError("The random source returned wrong-sized entropy");
  }
  return entropyToMnemonic(entropy, wordlist);
}

/** 24 BIP39 English words encoding 256 random bits (plus an 8-bit checksum). */
export function generateRecoveryPhrase(): string {
  return generateRecoveryPhraseWith(systemRandom);
}

/** Lower-cases, trims and collapses whitespace: "  Abandon\n ABILITY " → "abandon ability". */
export function normalizeRecoveryPhrase(phrase: string): string {
  if (typeof phrase !== "string") throw new BadRecoveryPhraseError("The recovery phrase must be text");
  return phrase.normalize("NFKD").toLowerCase().trim().split(/\s+/u).filter(Boolean).join(" ");
}

/** Validates a phrase and returns its 32 bytes of entropy, with a message that says what is wrong. */
export function recoveryPhraseEntropy(phrase: string): Uint8Array {
  const normalized = normalizeRecoveryPhrase(phrase);
  const words = normalized === "" ? [] : normalized.split(" ");
  if (words.length !== RECOVERY_WORD_COUNT) {
    throw new BadRecoveryPhraseError(
      `The recovery phrase has ${words.length} words; it must have exactly ${RECOVERY_WORD_COUNT}`,
    );
  }
  for (const [index, word] of words.entries()) {
    if (!WORD_INDEX.has(word)) {
      throw new BadRecoveryPhraseError(
        `Word ${index + 1} ("${word}") is not in the BIP39 English word list; check its spelling`,
      );
    }
  }
  try {
    return mnemonicToEntropy(normalized, wordlist);
  } catch (error) {
    throw new BadRecoveryPhraseError(
      "The recovery phrase checksum fails: probably a word is mistyped or two words are swapped",
      { cause: error },
    );
  }
}

/** Both recovery secrets by HKDF-SHA256 from the phrase's entropy (empty salt, distinct info strings). */
export async function recoverySecretsFromPhrase(phrase: string): Promise<RecoverySecrets> {
  const entropy = recoveryPhraseEntropy(phrase);
  const noSalt = new Uint8Array(0);
  const [wrappingKey, authKey] = await Promise.all([
    hkdfSha256(entropy, noSalt, utf8Encode(RECOVERY_WRAPPING_KEY_INFO), 32),
    hkdfSha256(entropy, noSalt, utf8Encode(RECOVERY_AUTH_KEY_INFO), 32),
  ]);
  return { wrappingKey, authKey };
}

/** SHA-256(authKey): what the server stores, and compares against SHA-256 of the authKey a recovering client sends. */
export function recoveryVerifier(authKey: Uint8Array): Uint8Array {
  assertKey32(authKey, "The recovery auth key");
  return sha256(authKey);
}

/** Internal: wrapMasterKeyWithRecovery with an injected random source. */
export function wrapMasterKeyWithRecoveryWith(
  random: RandomSource,
  masterKey: Uint8Array,
  recoveryWrappingKey: Uint8Array,
  userId: string,
): Promise<Uint8Array> {
  assertKey32(masterKey, "The master key");
  assertIdField(userId, "userId");
  return wrapKeyWith(random, recoveryWrappingKey, masterKey, recoveryMasterKeyContext(userId));
}

/** The master key wrapped under the recovery wrapping key (the key bundle's `recoveryWrappedMasterKey`). */
export function wrapMasterKeyWithRecovery(
  masterKey: Uint8Array,
  recoveryWrappingKey: Uint8Array,
  userId: string,
): Promise<Uint8Array> {
  return wrapMasterKeyWithRecoveryWith(systemRandom, masterKey, recoveryWrappingKey, userId);
}

/** Authentication failure → BadRecoveryPhraseError (a valid phrase, but not this account's). */
export async function unwrapMasterKeyWithRecovery(
  wrapped: Uint8Array,
  recoveryWrappingKey: Uint8Array,
  userId: string,
): Promise<Uint8Array> {
  assertIdField(userId, "userId");
  try {
    return await unwrapKey(recoveryWrappingKey, wrapped, recoveryMasterKeyContext(userId));
  } catch (error) {
    if (error instanceof TamperedError) {
      throw new BadRecoveryPhraseError("This recovery phrase does not unlock this account", { cause: error });
    }
    throw error;
  }
}
