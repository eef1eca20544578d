import { sha256 } from "@noble/hashes/sha2.js";
import { mnemonicToEntropy } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { describe, expect, it } from "vitest";
import { BadRecoveryPhraseError } from "./errors.js";
import { generateMasterKey } from "./master-key.js";
import {
  generateRecoveryPhrase,
  recoveryPhraseEntropy,
  recoverySecretsFromPhrase,
  recoveryVerifier,
  unwrapMasterKeyWithRecovery,
  wrapMasterKeyWithRecovery,
} from "./recovery.js";

describe("recovery phrase", () => {
  it("is 24 English words of 256-bit entropy, different each time", () => {
    const phrase = generateRecoveryPhrase();
    const words = phrase.split(" ");
    expect(words).toHaveLength(24);
    for (const word of words) expect(wordlist).toContain(word);
    expect(mnemonicToEntropy(phrase, wordlist)).toHaveLength(32);
    expect(generateRecoveryPhrase()).not.toBe(phrase);
  });
  it("derives distinct wrapping and auth keys, tolerant of case and spacing", async () => {
    const phrase = generateRecoveryPhrase();
    const secrets = await recoverySecretsFromPhrase(phrase);
    expect(secrets.wrappingKey).toHaveLength(32);
    expect(secrets.authKey).not.toEqual(secrets.wrappingKey);
    const messy = `  ${phrase.toUpperCase().replaceAll(" ", " \n\t ")}  `;
    expect(await recoverySecretsFromPhrase(messy)).toEqual(secrets);
    expect(recoveryVerifier(secrets.authKey)).toEqual(sha256(secrets.authKey));
  });
  it("names an unknown word and its position", () => {
    const words = generateRecoveryPhrase().split(" ");
    words[6] = "zebraa";
    expect(() => recoveryPhraseEntropy(words.join(" "))).toThrow(/Word 7 \("zebraa"\)/);
    expect(() => recoveryPhraseEntropy(words.join(" "))).toThrow(BadRecoveryPhraseError);
  });
  it("says when the checksum fails or the count is wrong", () => {
    const words = generateRecoveryPhrase().split(" ");
    // Changing the last word to another valid word breaks the 8-bit checksum except in 1/256 of cases.
    const last = words[23]!;
    const replacement = wordlist.find((w) => w !== last && !isValid([...words.slice(0, 23), w].join(" ")))!;
    words[23] = replacement;
    expect(() => recoveryPhraseEntropy(words.join(" "))).toThrow(/checksum fails/);
    expect(() => recoveryPhraseEntropy(words.slice(0, 12).join(" "))).toThrow(/has 12 words.*exactly 24/);
    expect(() => recoveryPhraseEntropy("   ")).toThrow(/has 0 words/);
  });
});

function isValid(phrase: string): boolean {
  try {
    mnemonicToEntropy(phrase, wordlist);
    return true;
  } catch {
    return false;
  }
}

describe("recovery-wrapped master key", () => {
  it("round-trips, and another phrase or user fails with BAD_RECOVERY_PHRASE", async () => {
    const master = generateMasterKey();
    const { wrappingKey } = await recoverySecretsFromPhrase(generateRecoveryPhrase());
    const wrapped = await wrapMasterKeyWithRecovery(master, wrappingKey, "u_alice");
    expect(await unwrapMasterKeyWithRecovery(wrapped, wrappingKey, "u_alice")).toEqual(master);
    const other = await recoverySecretsFromPhrase(generateRecoveryPhrase());
    await expect(unwrapMasterKeyWithRecovery(wrapped, other.wrappingKey, "u_alice")).rejects.toThrow(
      BadRecoveryPhraseError,
    );
    await expect(unwrapMasterKeyWithRecovery(wrapped, wrappingKey, "u_bob")).rejects.toThrow(
      BadRecoveryPhraseError,
    );
  });
});
