/**
 * Writes the deterministic key-handling test vectors (test-vectors/*.json, except stream*.json).
 * Run from the repository root: `npx tsx packages/crypto/scripts/generate-key-vectors.ts`.
 * All randomness comes from a seeded SHA-256 counter-mode generator, and every vector records the exact random
 * draws it consumed (in order) as `random`, so a test can replay them and must reproduce the same bytes.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toBase64Url, toHex, utf8Encode } from "../src/bytes.js";
import { contentDigest, deriveDedupKey } from "../src/dedup.js";
import type { UmbraCryptoError } from "../src/errors.js";
import { fingerprint } from "../src/fingerprint.js";
import { hkdfSha256 } from "../src/hkdf.js";
import { generateIdWith, type IdKind } from "../src/ids.js";
import { assertKdfParams, deriveWrappingKey, type KdfParams } from "../src/kdf.js";
import { type KeyContext, keyContextAssociatedData } from "../src/key-context.js";
import {
  generateKeyWith,
  unwrapMasterKeyWithPassword,
  wrapMasterKeyWithPasswordWith,
} from "../src/master-key.js";
import {
  ALBUM_NAME_KEY_INFO,
  blobAssociatedData,
  decryptAlbumName,
  decryptMetadata,
  decryptThumbnail,
  encryptAlbumNameWith,
  encryptMetadataWith,
  encryptThumbnailWith,
  METADATA_KEY_INFO,
  THUMBNAIL_KEY_INFO,
} from "../src/metadata.js";
import type { FileMetadata } from "../src/metadata-schema.js";
import { decodePaddedBlob, encodePaddedBlob, padmeLength } from "../src/padding.js";
import {
  generateRecoveryPhraseWith,
  recoveryPhraseEntropy,
  recoverySecretsFromPhrase,
  recoveryVerifier,
  unwrapMasterKeyWithRecovery,
  wrapMasterKeyWithRecoveryWith,
} from "../src/recovery.js";
import { recorder, seededRandom } from "../src/vector-randomness.js";
import { unwrapKey, wrapKeyWith } from "../src/wrap.js";

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "test-vectors");
const GENERATOR = "packages/crypto/scripts/generate-key-vectors.ts";

/** Runs a failing operation and returns its error code, so a negative vector cannot record a wrong code. */
async function errorCode(operation: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await operation();
  } catch (error) {
    return (error as UmbraCryptoError).code ?? "NOT_AN_UMBRA_ERROR";
  }
  throw new Error("Negative vector did not fail");
}

function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index]! ^= 0x01;
  return out;
}

function withVersion(bytes: Uint8Array, version: number): Uint8Array {
  const out = bytes.slice();
  out[0] = version;
  return out;
}

function write(name: string, description: string, body: Record<string, unknown>): void {
  const file = { version: 1, description, generator: GENERATOR, ...body };
  writeFileSync(join(OUT_DIR, name), `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${name}`);
}

interface Negative {
  description: string;
  operation: string;
  input: Record<string, unknown>;
  error: string;
  messageIncludes?: string;
}

async function negative(
  description: string,
  operation: string,
  input: Record<string, unknown>,
  run: () => Promise<unknown> | unknown,
  messageIncludes?: string,
): Promise<Negative> {
  const error = await errorCode(run);
  return { description, operation, input, error, ...(messageIncludes ? { messageIncludes } : {}) };
}

async function kdfVectors(): Promise<void> {
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

async function wrapVectors(): Promise<void> {
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
  write(
    "wrap.json",
    "Key wrapping: 0x01 ‖ IV(12) ‖ AES-256-GCM(key) ‖ tag, AD = enc(umbra/v1/wrap, purpose, ownerId, objectId)",
    {
      positive,
      negative: negatives,
    },
  );
}

function fromHexOf(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
}

async function masterKeyVectors(): Promise<void> {
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

async function recoveryVectors(): Promise<void> {
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

async function metadataVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/metadata"));
  const fileKey = generateKeyWith(rng.random);
  const albumKey = generateKeyWith(rng.random);
  rng.take();
  const fileId = generateIdWith(seededRandom("metadata/file"), "f");
  const otherFileId = generateIdWith(seededRandom("metadata/other-file"), "f");
  const albumId = generateIdWith(seededRandom("metadata/album"), "a");
  const samples: FileMetadata[] = [
    { name: "a.png", mime: "image/png", size: 0 },
    {
      name: "IMG_2041.HEIC",
      mime: "image/heic",
      size: 3_145_728,
      width: 4032,
      height: 3024,
      takenAt: "2024-07-14T18:03:11.000Z",
      camera: { make: "Apple", model: "iPhone 15" },
      lens: "iPhone 15 back camera 6.86mm f/1.6",
      gps: { lat: 48.8584, lon: 2.2945, alt: 35.2 },
      exif: { ISO: 64, ExposureTime: "1/120", FNumber: 1.6 },
      contentDigest: "q3Vh0Zl1yC0b5Qk4s2i1oXyS8xFhYbkQd5Hc1vYxZ0E",
      extra: { favorite: true, rating: 4 },
    },
    { name: "Été à Paris 🎬.mov", mime: "video/quicktime", size: 987_654_321, durationSec: 61.5 },
  ];
  const metadata = [];
  for (const sample of samples) {
    const blob = await encryptMetadataWith(rng.random, fileKey, fileId, sample);
    metadata.push({
      fileKey: toHex(fileKey),
      fileId,
      metadata: sample,
      plaintextJson: JSON.stringify(sample),
      subkey: toHex(await hkdfSha256(fileKey, new Uint8Array(0), utf8Encode(METADATA_KEY_INFO))),
      associatedData: toHex(blobAssociatedData.metadata(fileId)),
      paddedPlaintext: toHex(encodePaddedBlob(utf8Encode(JSON.stringify(sample)))),
      random: rng.take(),
      blob: toHex(blob),
    });
  }
  const thumbnails = [];
  const thumbBlobs: Uint8Array[] = [];
  for (const [variant, length] of [
    ["grid", 300],
    ["preview", 1000],
  ] as const) {
    const bytes = seededRandom(`metadata/thumbnail/${variant}`)(length);
    const blob = await encryptThumbnailWith(rng.random, fileKey, fileId, variant, bytes);
    thumbBlobs.push(blob);
    thumbnails.push({
      fileKey: toHex(fileKey),
      fileId,
      variant,
      thumbnail: toHex(bytes),
      subkey: toHex(await hkdfSha256(fileKey, new Uint8Array(0), utf8Encode(THUMBNAIL_KEY_INFO))),
      associatedData: toHex(blobAssociatedData.thumbnail(fileId, variant)),
      random: rng.take(),
      blob: toHex(blob),
    });
  }
  const albumNames = [];
  let albumBlob: Uint8Array = new Uint8Array(0);
  for (const name of ["Library", "", "Vacances d'été 2024 🌞"]) {
    const blob = await encryptAlbumNameWith(rng.random, albumKey, albumId, name);
    if (name === "Library") albumBlob = blob;
    albumNames.push({
      albumKey: toHex(albumKey),
      albumId,
      name,
      subkey: toHex(await hkdfSha256(albumKey, new Uint8Array(0), utf8Encode(ALBUM_NAME_KEY_INFO))),
      associatedData: toHex(blobAssociatedData.albumName(albumId)),
      random: rng.take(),
      blob: toHex(blob),
    });
  }
  const metaBlob = fromHexOf(metadata[1]!.blob);
  const fk = toHex(fileKey);
  const negatives = [
    await negative(
      "metadata blob moved to another file",
      "decryptMetadata",
      { fileKey: fk, fileId: otherFileId, blob: toHex(metaBlob) },
      () => decryptMetadata(fileKey, otherFileId, metaBlob),
    ),
    await negative(
      "flipped bit in the metadata ciphertext",
      "decryptMetadata",
      { fileKey: fk, fileId, blob: toHex(flipBit(metaBlob, 30)) },
      () => decryptMetadata(fileKey, fileId, flipBit(metaBlob, 30)),
    ),
    await negative(
      "metadata with unknown version byte",
      "decryptMetadata",
      { fileKey: fk, fileId, blob: toHex(withVersion(metaBlob, 2)) },
      () => decryptMetadata(fileKey, fileId, withVersion(metaBlob, 2)),
    ),
    await negative(
      "grid thumbnail presented as preview",
      "decryptThumbnail",
      { fileKey: fk, fileId, variant: "preview", blob: toHex(thumbBlobs[0]!) },
      () => decryptThumbnail(fileKey, fileId, "preview", thumbBlobs[0]!),
    ),
    await negative(
      "thumbnail moved to another file",
      "decryptThumbnail",
      { fileKey: fk, fileId: otherFileId, variant: "grid", blob: toHex(thumbBlobs[0]!) },
      () => decryptThumbnail(fileKey, otherFileId, "grid", thumbBlobs[0]!),
    ),
    await negative(
      "metadata blob presented as a thumbnail",
      "decryptThumbnail",
      { fileKey: fk, fileId, variant: "grid", blob: toHex(metaBlob) },
      () => decryptThumbnail(fileKey, fileId, "grid", metaBlob),
    ),
    await negative(
      "album name moved to another album",
      "decryptAlbumName",
      {
        albumKey: toHex(albumKey),
        albumId: generateIdWith(seededRandom("metadata/other-album"), "a"),
        blob: toHex(albumBlob),
      },
      () => decryptAlbumName(albumKey, generateIdWith(seededRandom("metadata/other-album"), "a"), albumBlob),
    ),
    await negative(
      "album name under the file key",
      "decryptAlbumName",
      { albumKey: fk, albumId, blob: toHex(albumBlob) },
      () => decryptAlbumName(fileKey, albumId, albumBlob),
    ),
  ];
  write(
    "metadata.json",
    "Metadata, thumbnail and album-name encryption: 0x01 ‖ IV ‖ AES-256-GCM(padded blob) ‖ tag",
    {
      metadata,
      thumbnails,
      albumNames,
      negative: negatives,
    },
  );
}

async function padmeVectors(): Promise<void> {
  const rng = seededRandom("umbra/v1/test-vectors/padme");
  const lengths = [
    0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 100, 255, 256, 257, 1000, 1023, 1024, 1025,
  ];
  for (let i = 0; i < 12; i++) {
    const r = new DataView(rng(8).buffer).getBigUint64(0);
    lengths.push(Number(r % BigInt(2 ** (4 + i * 4))));
  }
  lengths.push(2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 5_000_000_000, 2 ** 50);
  const padme = lengths.map((n) => ({ n, padded: padmeLength(n) }));
  const paddedBlobs = [0, 1, 4, 5, 100, 1000].map((n) => {
    const data = rng(n);
    return { data: toHex(data), blob: toHex(encodePaddedBlob(data)) };
  });
  const good = encodePaddedBlob(rng(101));
  const negatives = [
    await negative(
      "non-zero padding byte",
      "decodePaddedBlob",
      { blob: toHex(flipBit(good, good.length - 1)) },
      () => decodePaddedBlob(flipBit(good, good.length - 1)),
    ),
    await negative(
      "length prefix longer than the blob",
      "decodePaddedBlob",
      { blob: toHex(flipBit(flipBit(good, 2), 3)) },
      () => decodePaddedBlob(flipBit(flipBit(good, 2), 3)),
    ),
    await negative(
      "total length is not padmeLength(4 + n)",
      "decodePaddedBlob",
      { blob: toHex(good.subarray(0, good.length - 1)) },
      () => decodePaddedBlob(good.subarray(0, good.length - 1)),
    ),
  ];
  write(
    "padme.json",
    "Padmé lengths and the padded-blob encoding u32be(n) ‖ data ‖ zeros to padmeLength(4 + n)",
    {
      padme,
      paddedBlobs,
      negative: negatives,
    },
  );
}

async function fingerprintVectors(): Promise<void> {
  const rng = seededRandom("umbra/v1/test-vectors/fingerprint");
  const keys = [new Uint8Array([0]), new Uint8Array(32), rng(32), rng(32), rng(32), rng(65)];
  write("fingerprint.json", "Fingerprints: SHA-256 hex, and five 20-bit slices of the hash mod 100000", {
    positive: keys.map((key) => ({ publicKey: toHex(key), ...fingerprint(key) })),
  });
}

async function dedupVectors(): Promise<void> {
  const rng = seededRandom("umbra/v1/test-vectors/dedup");
  const positive = [];
  for (const sizes of [[], [0], [1], [64, 1], [1000, 3, 5000]]) {
    const masterKey = rng(32);
    const dedupKey = await deriveDedupKey(masterKey);
    const chunks = sizes.map((size) => rng(size));
    positive.push({
      masterKey: toHex(masterKey),
      dedupKey: toHex(dedupKey),
      chunks: chunks.map(toHex),
      digest: await contentDigest(dedupKey, chunks),
    });
  }
  write(
    "dedup.json",
    "Duplicate detection: HKDF(masterKey, info umbra/v1/dedup), base64url(HMAC-SHA256(dedupKey, content))",
    {
      positive,
    },
  );
}

async function idVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/ids"));
  const positive = (["u", "a", "f", "u"] as IdKind[]).map((kind) => {
    const id = generateIdWith(rng.random, kind);
    return { kind, random: rng.take(), id };
  });
  write("ids.json", "Identifiers: kind ‖ '_' ‖ base64url(16 random bytes)", { positive });
}

await kdfVectors();
await wrapVectors();
await masterKeyVectors();
await recoveryVectors();
await metadataVectors();
await padmeVectors();
await fingerprintVectors();
await dedupVectors();
await idVectors();
