import { entropyToMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { recoveryPhraseContext } from "./key-context.js";
import { type RandomSource, systemRandom } from "./random.js";
import { recoveryPhraseEntropy } from "./recovery.js";
import { unwrapKey, wrapKeyWith } from "./wrap.js";

/** Internal: wrapRecoveryPhrase with an injected random source (draws: one IV). */
export function wrapRecoveryPhraseWith(
  random: RandomSource,
  masterKey: Uint8Array,
  userId: string,
  phrase: string,
): Promise<Uint8Array> {
  return wrapKeyWith(random, masterKey, recoveryPhraseEntropy(phrase), recoveryPhraseContext(userId));
}

/**
 * The phrase's entropy wrapped by the master key (purpose `recovery-phrase`): whoever can unlock the vault can
 * read the phrase again, which the phrase itself already allows; the server learns nothing.
 */
export function wrapRecoveryPhrase(
  masterKey: Uint8Array,
  userId: string,
  phrase: string,
): Promise<Uint8Array> {
  return wrapRecoveryPhraseWith(systemRandom, masterKey, userId, phrase);
}

/** The 24 words again. Wrong master key, other user or modified bytes → TAMPERED. */
export async function unwrapRecoveryPhrase(
  masterKey: Uint8Array,
  userId: string,
  wrapped: Uint8Array,
): Promise<string> {
  const entropy = await unwrapKey(masterKey, wrapped, recoveryPhraseContext(userId));
  return entropyToMnemonic(entropy, wordlist);
}
