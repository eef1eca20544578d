import { toBase64Url, toHex, utf8Encode } from "../../src/bytes.js";
import { generateIdWith } from "../../src/ids.js";
import { assertKdfParams, deriveWrappingKey, type KdfParams } from "../../src/kdf.js";
import { type KeyContext, keyContextAssociatedData } from "../../src/key-context.js";
import { recorder, seededRandom } from "../../src/vector-randomness.js";
import { unwrapKey, wrapKeyWith } from "../../src/wrap.js";
import { flipBit, fromHexOf, type Negative, negative, withVersion, write } from "./common.js";

export async function kdfVectors(): Promise<void> {
  const rng = seededRandom("umbra/v1/test-vectors/kdf");
  const salt = () => toBase64Url(rng(32));
  const cases: { description: string; password: string; params: KdfParams }[] = [
    {
      description: "ASCII password, minimum parameters",
      password: "correct horse battery staple",
      params: { algorithm: "PBKDF2-SHA256", iterations: 600_000, salt: salt() },
    },
    {
      description: "NFKC: the ligature ﬁ and a decomposed Å derive the same key as 'fish Å'",
      password: "ﬁsh A\u030a",
      params: { algorithm: "PBKDF2-SHA256", iterations: 600_000, salt: salt() },
    },
    {
      description: "non-Latin password, more iterations than the minimum",
      password: "パスワード🔑",
      params: { algorithm: "PBKDF2-SHA256", iterations: 650_000, salt: salt() },
    },
  ];
  const positive = [];
  for (const c of cases) {
    const wrappingKey = await deriveWrappingKey(c.password, c.params);
    positive.push({
      ...c,
      normalizedPasswordUtf8: toHex(utf8Encode(c.password.normalize("NFKC"))),
      wrappingKey: toHex(wrappingKey),
    });
  }
  const base = cases[0]!.params;
  const weak: { description: string; params: unknown }[] = [
    { description: "downgraded iterations (100000)", params: { ...base, iterations: 100_000 } },
    { description: "one iteration below the minimum", params: { ...base, iterations: 599_999 } },
    { description: "16-byte salt", params: { ...base, salt: toBase64Url(rng(16)) } },
    { description: "other algorithm", params: { ...base, algorithm: "PBKDF2-SHA1" } },
  ];
  const negatives: Negative[] = [];
  for (const w of weak) {
    negatives.push(
      await negative(w.description, "deriveWrappingKey", { password: "pw", params: w.params }, () =>
        deriveWrappingKey("pw", w.params as KdfParams),
      ),
    );
  }
  negatives.push(
    await negative(
      "iterations not an integer",
      "assertKdfParams",
      { params: { ...base, iterations: 6e5 + 0.5 } },
      () => assertKdfParams({ ...base, iterations: 6e5 + 0.5 }),
    ),
  );
  write("kdf.json", "Password KDF: PBKDF2-SHA256 over UTF-8(NFKC(password)), 32-byte output", {
    positive,
    negative: negatives,
  });
}

export async function wrapVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/wrap"));
  const kek = rng.random(32);
  rng.take();
  const userId = generateIdWith(seededRandom("wrap/user"), "u");
  const albumId = generateIdWith(seededRandom("wrap/album"), "a");
  const fileId = generateIdWith(seededRandom("wrap/file"), "f");
  const contexts: [KeyContext, number][] = [
    [{ purpose: "master-key/password", ownerId: userId, objectId: userId }, 32],
    [{ purpose: "master-key/recovery", ownerId: userId, objectId: userId }, 32],
    [{ purpose: "album-key", ownerId: userId, objectId: albumId }, 32],
    [{ purpose: "file-key", ownerId: albumId, objectId: fileId }, 32],
    [{ purpose: "identity-private-key", ownerId: userId, objectId: "x25519" }, 64],
  ];
  const positive = [];
  for (const [context, length] of contexts) {
    const key = rng.random(length);
    rng.take();
    const wrapped = await wrapKeyWith(rng.random, kek, key, context);
    positive.push({
      description: `purpose ${context.purpose}`,
      wrappingKey: toHex(kek),
      key: toHex(key),
      context,
      associatedData: toHex(keyContextAssociatedData(context)),
      random: rng.take(),
      wrapped: toHex(wrapped),
    });
  }
  const albumCtx = contexts[2]![0];
  const albumWrapped = fromHexOf(positive[2]!.wrapped);
  const otherKey = rng.random(32);
  const cases: [string, Uint8Array, Uint8Array, KeyContext][] = [
    ["wrong wrapping key", otherKey, albumWrapped, albumCtx],
    [
      "album key presented as the password-wrapped master key",
      kek,
      albumWrapped,
      { purpose: "master-key/password", ownerId: userId, objectId: userId },
    ],
    [
      "album key presented as a file key",
      kek,
      albumWrapped,
      { purpose: "file-key", ownerId: userId, objectId: albumId },
    ],
    [
      "another user's owner id",
      kek,
      albumWrapped,
      { ...albumCtx, ownerId: generateIdWith(seededRandom("wrap/other"), "u") },
    ],
    ["another album's object id", kek, albumWrapped, { ...albumCtx, objectId: fileId }],
    ["flipped bit in the IV", kek, flipBit(albumWrapped, 5), albumCtx],
    ["flipped bit in the ciphertext", kek, flipBit(albumWrapped, 20), albumCtx],
    ["flipped bit in the tag", kek, flipBit(albumWrapped, albumWrapped.length - 1), albumCtx],
    ["truncated (tag missing)", kek, albumWrapped.subarray(0, albumWrapped.length - 16), albumCtx],
    ["unknown version byte 0x02", kek, withVersion(albumWrapped, 2), albumCtx],
    ["version byte 0x00", kek, withVersion(albumWrapped, 0), albumCtx],
  ];
  const negatives: Negative[] = [];
  for (const [description, wrappingKey, wrapped, context] of cases) {
    negatives.push(
      await negative(
        description,
        "unwrapKey",
        { wrappingKey: toHex(wrappingKey), wrapped: toHex(wrapped), context },
        () => unwrapKey(wrappingKey, wrapped, context),
      ),
    );
  }
  // Album keys of generation ≥ 2 bind the generation (SPEC §4.1); drawn from their own seed so the vectors above
  // keep their bytes.
  const genRng = recorder(seededRandom("wrap/generation"));
  const genContext: KeyContext = { purpose: "album-key", ownerId: userId, objectId: albumId, generation: 2 };
  const genKey = genRng.random(32);
  genRng.take();
  const genWrapped = await wrapKeyWith(genRng.random, kek, genKey, genContext);
  positive.push({
    description: "purpose album-key, generation 2 (the key version is bound)",
    wrappingKey: toHex(kek),
    key: toHex(genKey),
    context: genContext,
    associatedData: toHex(keyContextAssociatedData(genContext)),
    random: genRng.take(),
    wrapped: toHex(genWrapped),
  });
  for (const [description, context] of [
    ["generation 2 wrap opened as generation 3", { ...genContext, generation: 3 }],
    ["generation 2 wrap opened as generation 1 (no generation field)", albumCtx],
  ] as [string, KeyContext][]) {
    negatives.push(
      await negative(
        description,
        "unwrapKey",
        { wrappingKey: toHex(kek), wrapped: toHex(genWrapped), context },
        () => unwrapKey(kek, genWrapped, context),
      ),
    );
  }
  write(
    "wrap.json",
    "Key wrapping: 0x01 ‖ IV(12) ‖ AES-256-GCM(key) ‖ tag, AD = enc(umbra/v1/wrap, purpose, ownerId, objectId)",
    {
      positive,
      negative: negatives,
    },
  );
}
