import { toHex } from "../../src/bytes.js";
import { generateIdWith } from "../../src/ids.js";
import { keyContextAssociatedData, recoveryPhraseContext } from "../../src/key-context.js";
import {
  generateKeyWith,
  unwrapMasterKeyWithPassword,
  wrapMasterKeyWithPasswordWith,
} from "../../src/master-key.js";
import {
  generateRecoveryPhraseWith,
  recoveryPhraseEntropy,
  recoverySecretsFromPhrase,
  recoveryVerifier,
  unwrapMasterKeyWithRecovery,
  wrapMasterKeyWithRecoveryWith,
} from "../../src/recovery.js";
import { unwrapRecoveryPhrase, wrapRecoveryPhraseWith } from "../../src/recovery-phrase-wrap.js";
import { recorder, seededRandom } from "../../src/vector-randomness.js";
import { flipBit, negative, withVersion, write } from "./common.js";

export async function masterKeyVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/master-key"));
  const userId = generateIdWith(seededRandom("master-key/user"), "u");
  const masterKey = generateKeyWith(rng.random);
  rng.take();
  const password = "Tr0ub4dor&3 — umbra";
  const bundle = await wrapMasterKeyWithPasswordWith(rng.random, masterKey, password, userId);
  const positive = [
    {
      description: "fresh KDF parameters (random draws: salt, then IV)",
      userId,
      password,
      masterKey: toHex(masterKey),
      random: rng.take(),
      kdf: bundle.kdf,
      wrapped: toHex(bundle.wrapped),
    },
  ];
  const input = (over: Record<string, unknown>) => ({
    kdf: bundle.kdf,
    wrapped: toHex(bundle.wrapped),
    password,
    userId,
    ...over,
  });
  const negatives = [
    await negative(
      "wrong password",
      "unwrapMasterKeyWithPassword",
      input({ password: "Tr0ub4dor&4 — umbra" }),
      () => unwrapMasterKeyWithPassword(bundle, "Tr0ub4dor&4 — umbra", userId),
    ),
    await negative(
      "another user's id",
      "unwrapMasterKeyWithPassword",
      input({ userId: generateIdWith(seededRandom("master-key/other"), "u") }),
      () =>
        unwrapMasterKeyWithPassword(bundle, password, generateIdWith(seededRandom("master-key/other"), "u")),
    ),
    await negative(
      "server downgraded iterations to 100000",
      "unwrapMasterKeyWithPassword",
      input({ kdf: { ...bundle.kdf, iterations: 100_000 } }),
      () =>
        unwrapMasterKeyWithPassword(
          { ...bundle, kdf: { ...bundle.kdf, iterations: 100_000 } },
          password,
          userId,
        ),
    ),
    await negative(
      "server shortened the salt to 8 bytes",
      "unwrapMasterKeyWithPassword",
      input({ kdf: { ...bundle.kdf, salt: bundle.kdf.salt.slice(0, 11) } }),
      () =>
        unwrapMasterKeyWithPassword(
          { ...bundle, kdf: { ...bundle.kdf, salt: bundle.kdf.salt.slice(0, 11) } },
          password,
          userId,
        ),
    ),
    await negative(
      "unknown version byte",
      "unwrapMasterKeyWithPassword",
      input({ wrapped: toHex(withVersion(bundle.wrapped, 2)) }),
      () =>
        unwrapMasterKeyWithPassword({ ...bundle, wrapped: withVersion(bundle.wrapped, 2) }, password, userId),
    ),
  ];
  write("master-key.json", "Master key wrapped under a password-derived key (purpose master-key/password)", {
    positive,
    negative: negatives,
  });
}

export async function recoveryVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/recovery"));
  const phrases = [];
  const phraseTexts: string[] = [];
  for (let i = 0; i < 3; i++) {
    const phrase = generateRecoveryPhraseWith(rng.random);
    const random = rng.take();
    const secrets = await recoverySecretsFromPhrase(phrase);
    phraseTexts.push(phrase);
    phrases.push({
      random,
      phrase,
      entropy: toHex(recoveryPhraseEntropy(phrase)),
      wrappingKey: toHex(secrets.wrappingKey),
      authKey: toHex(secrets.authKey),
      verifier: toHex(recoveryVerifier(secrets.authKey)),
    });
  }
  const [first, second] = phraseTexts as [string, string];
  const messy = `  ${first.toUpperCase().split(" ").join("  \n")}\t`;
  const normalization = [{ input: messy, phrase: first }];
  const userId = generateIdWith(seededRandom("recovery/user"), "u");
  const masterKey = generateKeyWith(rng.random);
  rng.take();
  const secrets = await recoverySecretsFromPhrase(first);
  const wrappedBytes = await wrapMasterKeyWithRecoveryWith(
    rng.random,
    masterKey,
    secrets.wrappingKey,
    userId,
  );
  const wrapped = [
    { phrase: first, userId, masterKey: toHex(masterKey), random: rng.take(), wrapped: toHex(wrappedBytes) },
  ];
  const words = first.split(" ");
  const unknownWord = [...words];
  unknownWord[4] = "umbrellaa";
  const badChecksum = [...words];
  // Swapping two different words keeps every word valid but breaks the checksum (checked below by errorCode).
  [badChecksum[0], badChecksum[1]] = [badChecksum[1]!, badChecksum[0]!];
  const negatives = [
    await negative(
      "unknown word at position 5",
      "recoverySecretsFromPhrase",
      { phrase: unknownWord.join(" ") },
      () => recoverySecretsFromPhrase(unknownWord.join(" ")),
      "Word 5",
    ),
    await negative(
      "two words swapped: checksum fails",
      "recoverySecretsFromPhrase",
      { phrase: badChecksum.join(" ") },
      () => recoverySecretsFromPhrase(badChecksum.join(" ")),
      "checksum",
    ),
    await negative(
      "23 words",
      "recoverySecretsFromPhrase",
      { phrase: words.slice(0, 23).join(" ") },
      () => recoverySecretsFromPhrase(words.slice(0, 23).join(" ")),
      "23 words",
    ),
    await negative(
      "a valid phrase of another account",
      "unwrapMasterKeyWithRecovery",
      { phrase: second, wrapped: toHex(wrappedBytes), userId },
      async () =>
        unwrapMasterKeyWithRecovery(
          wrappedBytes,
          (await recoverySecretsFromPhrase(second)).wrappingKey,
          userId,
        ),
    ),
    await negative(
      "unknown version byte",
      "unwrapMasterKeyWithRecovery",
      { phrase: first, wrapped: toHex(withVersion(wrappedBytes, 2)), userId },
      () => unwrapMasterKeyWithRecovery(withVersion(wrappedBytes, 2), secrets.wrappingKey, userId),
    ),
  ];
  write(
    "recovery.json",
    "Recovery phrase (BIP39, 24 English words), its HKDF secrets, verifier and wrapped master key",
    {
      phrases,
      normalization,
      wrapped,
      negative: negatives,
    },
  );
}

/** The recovery phrase wrapped by the master key (Settings shows it again), with its negatives. */
export async function recoveryPhraseWrapVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/recovery-phrase"));
  const userId = generateIdWith(seededRandom("recovery-phrase/user"), "u");
  const otherUser = generateIdWith(seededRandom("recovery-phrase/other"), "u");
  const masterKey = rng.random(32);
  const phrase = generateRecoveryPhraseWith(rng.random);
  rng.take();
  const wrapped = await wrapRecoveryPhraseWith(rng.random, masterKey, userId, phrase);
  const positive = [
    {
      masterKey: toHex(masterKey),
      userId,
      phrase,
      entropy: toHex(recoveryPhraseEntropy(phrase)),
      associatedData: toHex(keyContextAssociatedData(recoveryPhraseContext(userId))),
      random: rng.take(),
      wrapped: toHex(wrapped),
    },
  ];
  const negatives = [
    await negative(
      "phrase of another user",
      "unwrapRecoveryPhrase",
      { masterKey: toHex(masterKey), userId: otherUser, wrapped: toHex(wrapped) },
      () => unwrapRecoveryPhrase(masterKey, otherUser, wrapped),
    ),
    await negative(
      "one flipped bit",
      "unwrapRecoveryPhrase",
      { masterKey: toHex(masterKey), userId, wrapped: toHex(flipBit(wrapped, 20)) },
      () => unwrapRecoveryPhrase(masterKey, userId, flipBit(wrapped, 20)),
    ),
  ];
  write(
    "recovery-phrase.json",
    "The recovery phrase's entropy wrapped by the master key (purpose recovery-phrase, owner = object = user id).",
    { positive, negative: negatives },
  );
}
