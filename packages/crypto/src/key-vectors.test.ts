import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromBase64Url, fromHex, toHex, utf8Encode } from "./bytes.js";
import { contentDigest, deriveDedupKey } from "./dedup.js";
import { UmbraCryptoError } from "./errors.js";
import { fingerprint } from "./fingerprint.js";
import { hkdfSha256 } from "./hkdf.js";
import { generateIdWith, type IdKind, isId } from "./ids.js";
import { assertKdfParams, deriveWrappingKey, type KdfParams } from "./kdf.js";
import { type KeyContext, keyContextAssociatedData, recoveryPhraseContext } from "./key-context.js";
import {
  checkpointAssociatedData,
  checkpointHeadAssociatedData,
  deriveCheckpointKey,
  openCheckpoint,
  openCheckpointHead,
  sealCheckpointHeadWith,
  sealCheckpointWith,
} from "./library-checkpoint.js";
import { unwrapMasterKeyWithPassword, wrapMasterKeyWithPasswordWith } from "./master-key.js";
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
  type ThumbnailVariant,
} from "./metadata.js";
import type { FileMetadata } from "./metadata-schema.js";
import { decodePaddedBlob, encodePaddedBlob, padmeLength } from "./padding.js";
import {
  generateRecoveryPhraseWith,
  recoveryPhraseEntropy,
  recoverySecretsFromPhrase,
  recoveryVerifier,
  unwrapMasterKeyWithRecovery,
  wrapMasterKeyWithRecoveryWith,
} from "./recovery.js";
import { unwrapRecoveryPhrase, wrapRecoveryPhraseWith } from "./recovery-phrase-wrap.js";
import { openLinkOwner, sealLinkOwnerWith, verifyLinkRoster } from "./sharing/link-roster.js";
import { replay } from "./vector-randomness.js";
import { unwrapKey, wrapKeyWith } from "./wrap.js";

const DIR = new URL("../test-vectors/", import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: vector files are untyped JSON, checked field by field below.
type Json = any;
const load = (name: string): Json => JSON.parse(readFileSync(new URL(name, DIR), "utf8"));
const hex = (bytes: Uint8Array) => toHex(bytes);
const NO_SALT = new Uint8Array(0);

type Operation = (input: Json) => Promise<unknown> | unknown;
const operations: Record<string, Operation> = {
  assertKdfParams: (i) => assertKdfParams(i.params),
  deriveWrappingKey: (i) => deriveWrappingKey(i.password, i.params),
  unwrapKey: (i) => unwrapKey(fromHex(i.wrappingKey), fromHex(i.wrapped), i.context),
  unwrapMasterKeyWithPassword: (i) =>
    unwrapMasterKeyWithPassword({ kdf: i.kdf, wrapped: fromHex(i.wrapped) }, i.password, i.userId),
  recoverySecretsFromPhrase: (i) => recoverySecretsFromPhrase(i.phrase),
  unwrapMasterKeyWithRecovery: async (i) =>
    unwrapMasterKeyWithRecovery(
      fromHex(i.wrapped),
      (await recoverySecretsFromPhrase(i.phrase)).wrappingKey,
      i.userId,
    ),
  decryptMetadata: (i) => decryptMetadata(fromHex(i.fileKey), i.fileId, fromHex(i.blob)),
  decryptThumbnail: (i) => decryptThumbnail(fromHex(i.fileKey), i.fileId, i.variant, fromHex(i.blob)),
  decryptAlbumName: (i) => decryptAlbumName(fromHex(i.albumKey), i.albumId, fromHex(i.blob)),
  decodePaddedBlob: (i) => decodePaddedBlob(fromHex(i.blob)),
  unwrapRecoveryPhrase: (i) => unwrapRecoveryPhrase(fromHex(i.masterKey), i.userId, fromHex(i.wrapped)),
};

async function expectNegative(vector: Json): Promise<void> {
  const operation = operations[vector.operation];
  expect(operation, `operation ${vector.operation}`).toBeDefined();
  let caught: unknown;
  try {
    await operation!(vector.input);
  } catch (error) {
    caught = error;
  }
  expect(caught, vector.description).toBeInstanceOf(UmbraCryptoError);
  expect((caught as UmbraCryptoError).code, vector.description).toBe(vector.error);
  if (vector.messageIncludes) expect((caught as Error).message).toContain(vector.messageIncludes);
}

const checks: Record<string, (file: Json) => Promise<void>> = {
  "library-checkpoint.json": async (file) => {
    for (const v of file.positive) {
      const key = await deriveCheckpointKey(fromHex(v.masterKey));
      expect(hex(key)).toBe(v.checkpointKey);
      expect(hex(checkpointAssociatedData(v.userId, v.counter))).toBe(v.associatedData);
      expect(hex(await openCheckpoint(key, v.userId, v.counter, fromHex(v.sealed)))).toBe(v.plaintext);
      const random = replay(v.random);
      expect(hex(await sealCheckpointWith(random, key, v.userId, v.counter, fromHex(v.plaintext)))).toBe(
        v.sealed,
      );
      expect(random.rest()).toBe(0);
    }
    for (const v of file.heads) {
      const key = await deriveCheckpointKey(fromHex(v.masterKey));
      expect(hex(checkpointHeadAssociatedData(v.userId, v.counter))).toBe(v.associatedData);
      expect(hex(await openCheckpointHead(key, v.userId, v.counter, fromHex(v.sealed)))).toBe(v.plaintext);
      const random = replay(v.random);
      expect(hex(await sealCheckpointHeadWith(random, key, v.userId, v.counter, fromHex(v.plaintext)))).toBe(
        v.sealed,
      );
      expect(random.rest()).toBe(0);
    }
  },
  "link-roster.json": async (file) => {
    for (const v of file.positive) {
      const owner = await openLinkOwner(
        fromHex(v.linkKey),
        v.linkId,
        v.albumId,
        v.ownerId,
        fromHex(v.sealedOwner),
      );
      expect(hex(owner)).toBe(v.ownerSigningPublicKey);
      const ids = { linkId: v.linkId, albumId: v.albumId, ownerId: v.ownerId };
      expect(await verifyLinkRoster(v.roster, owner, ids)).toEqual(JSON.parse(v.roster.payload));
      const random = replay(v.random);
      const sealed = await sealLinkOwnerWith(
        random,
        fromHex(v.linkKey),
        v.linkId,
        v.albumId,
        v.ownerId,
        owner,
      );
      expect(hex(sealed)).toBe(v.sealedOwner);
      expect(random.rest()).toBe(0);
    }
  },
  "kdf.json": async (file) => {
    for (const v of file.positive) {
      expect(hex(utf8Encode(v.password.normalize("NFKC")))).toBe(v.normalizedPasswordUtf8);
      expect(hex(await deriveWrappingKey(v.password, v.params as KdfParams))).toBe(v.wrappingKey);
    }
  },
  "wrap.json": async (file) => {
    for (const v of file.positive) {
      const kek = fromHex(v.wrappingKey);
      const context = v.context as KeyContext;
      expect(hex(keyContextAssociatedData(context))).toBe(v.associatedData);
      expect(hex(await unwrapKey(kek, fromHex(v.wrapped), context))).toBe(v.key);
      const random = replay(v.random);
      expect(hex(await wrapKeyWith(random, kek, fromHex(v.key), context))).toBe(v.wrapped);
      expect(random.rest()).toBe(0);
    }
  },
  "master-key.json": async (file) => {
    for (const v of file.positive) {
      const wrapped = fromHex(v.wrapped);
      expect(hex(await unwrapMasterKeyWithPassword({ kdf: v.kdf, wrapped }, v.password, v.userId))).toBe(
        v.masterKey,
      );
      const random = replay(v.random);
      const bundle = await wrapMasterKeyWithPasswordWith(random, fromHex(v.masterKey), v.password, v.userId);
      expect(bundle.kdf).toEqual(v.kdf);
      expect(hex(bundle.wrapped)).toBe(v.wrapped);
      expect(random.rest()).toBe(0);
    }
  },
  "recovery.json": async (file) => {
    for (const v of file.phrases) {
      const random = replay(v.random);
      expect(generateRecoveryPhraseWith(random)).toBe(v.phrase);
      expect(v.phrase.split(" ")).toHaveLength(24);
      expect(hex(recoveryPhraseEntropy(v.phrase))).toBe(v.entropy);
      const secrets = await recoverySecretsFromPhrase(v.phrase);
      expect(hex(secrets.wrappingKey)).toBe(v.wrappingKey);
      expect(hex(secrets.authKey)).toBe(v.authKey);
      expect(hex(recoveryVerifier(secrets.authKey))).toBe(v.verifier);
    }
    for (const v of file.normalization) {
      expect(await recoverySecretsFromPhrase(v.input)).toEqual(await recoverySecretsFromPhrase(v.phrase));
    }
    for (const v of file.wrapped) {
      const { wrappingKey } = await recoverySecretsFromPhrase(v.phrase);
      expect(hex(await unwrapMasterKeyWithRecovery(fromHex(v.wrapped), wrappingKey, v.userId))).toBe(
        v.masterKey,
      );
      const random = replay(v.random);
      const again = await wrapMasterKeyWithRecoveryWith(random, fromHex(v.masterKey), wrappingKey, v.userId);
      expect(hex(again)).toBe(v.wrapped);
    }
  },
  "metadata.json": async (file) => {
    for (const v of file.metadata) {
      const fileKey = fromHex(v.fileKey);
      expect(hex(await hkdfSha256(fileKey, NO_SALT, utf8Encode(METADATA_KEY_INFO)))).toBe(v.subkey);
      expect(hex(blobAssociatedData.metadata(v.fileId))).toBe(v.associatedData);
      expect(JSON.stringify(v.metadata)).toBe(v.plaintextJson);
      expect(hex(encodePaddedBlob(utf8Encode(v.plaintextJson)))).toBe(v.paddedPlaintext);
      expect(await decryptMetadata(fileKey, v.fileId, fromHex(v.blob))).toEqual(v.metadata);
      const again = await encryptMetadataWith(
        replay(v.random),
        fileKey,
        v.fileId,
        v.metadata as FileMetadata,
      );
      expect(hex(again)).toBe(v.blob);
    }
    for (const v of file.thumbnails) {
      const fileKey = fromHex(v.fileKey);
      const variant = v.variant as ThumbnailVariant;
      expect(hex(await hkdfSha256(fileKey, NO_SALT, utf8Encode(THUMBNAIL_KEY_INFO)))).toBe(v.subkey);
      expect(hex(blobAssociatedData.thumbnail(v.fileId, variant))).toBe(v.associatedData);
      expect(hex(await decryptThumbnail(fileKey, v.fileId, variant, fromHex(v.blob)))).toBe(v.thumbnail);
      const again = await encryptThumbnailWith(
        replay(v.random),
        fileKey,
        v.fileId,
        variant,
        fromHex(v.thumbnail),
      );
      expect(hex(again)).toBe(v.blob);
    }
    for (const v of file.albumNames) {
      const albumKey = fromHex(v.albumKey);
      expect(hex(await hkdfSha256(albumKey, NO_SALT, utf8Encode(ALBUM_NAME_KEY_INFO)))).toBe(v.subkey);
      expect(hex(blobAssociatedData.albumName(v.albumId))).toBe(v.associatedData);
      expect(await decryptAlbumName(albumKey, v.albumId, fromHex(v.blob))).toBe(v.name);
      expect(hex(await encryptAlbumNameWith(replay(v.random), albumKey, v.albumId, v.name))).toBe(v.blob);
    }
  },
  "padme.json": async (file) => {
    expect(file.padme.length).toBeGreaterThan(20);
    for (const v of file.padme) expect(padmeLength(v.n), `padme(${v.n})`).toBe(v.padded);
    for (const v of file.paddedBlobs) {
      expect(hex(encodePaddedBlob(fromHex(v.data)))).toBe(v.blob);
      expect(hex(decodePaddedBlob(fromHex(v.blob)))).toBe(v.data);
    }
  },
  "fingerprint.json": async (file) => {
    for (const v of file.positive) {
      expect(fingerprint(fromHex(v.publicKey))).toEqual({ hex: v.hex, short: v.short });
    }
  },
  "dedup.json": async (file) => {
    for (const v of file.positive) {
      const dedupKey = await deriveDedupKey(fromHex(v.masterKey));
      expect(hex(dedupKey)).toBe(v.dedupKey);
      const chunks = (v.chunks as string[]).map(fromHex);
      expect(await contentDigest(dedupKey, chunks)).toBe(v.digest);
      expect(fromBase64Url(v.digest)).toHaveLength(32);
    }
  },
  "recovery-phrase.json": async (file) => {
    for (const v of file.positive) {
      expect(hex(keyContextAssociatedData(recoveryPhraseContext(v.userId)))).toBe(v.associatedData);
      expect(await unwrapRecoveryPhrase(fromHex(v.masterKey), v.userId, fromHex(v.wrapped))).toBe(v.phrase);
      const random = replay(v.random);
      expect(hex(await wrapRecoveryPhraseWith(random, fromHex(v.masterKey), v.userId, v.phrase))).toBe(
        v.wrapped,
      );
      expect(random.rest()).toBe(0);
    }
  },
  "ids.json": async (file) => {
    for (const v of file.positive) {
      expect(generateIdWith(replay(v.random), v.kind as IdKind)).toBe(v.id);
      expect(isId(v.kind, v.id)).toBe(true);
    }
  },
};

// These have generators and tests of their own: stream*.json (stream/vectors.test.ts), full-path.json
// (full-path-vector.test.ts), live-stream.json (stream/live.test.ts), rendition.json (client's rendition.test.ts).
const OWN_TESTS = new Set(["full-path.json", "live-stream.json", "rendition.json"]);
const files = readdirSync(DIR).filter(
  (name) => name.endsWith(".json") && !name.startsWith("stream") && !OWN_TESTS.has(name),
);

describe("key-handling test vectors", () => {
  it("covers every vector file", () => {
    expect(files.sort()).toEqual(Object.keys(checks).sort());
  });
  for (const name of files) {
    describe(name, () => {
      const file = load(name);
      it("has the v1 header", () => {
        expect(file.version).toBe(1);
        expect(file.generator).toBe("packages/crypto/scripts/generate-key-vectors.ts");
      });
      it("decrypts and re-encrypts every positive vector to the recorded bytes", async () => {
        const check = checks[name];
        expect(check, `no check for ${name}`).toBeDefined();
        await check!(file);
      });
      const negatives: Json[] = file.negative ?? [];
      if (negatives.length > 0) {
        it.each(negatives.map((v) => [v.description, v] as const))("rejects: %s", async (_, vector) => {
          await expectNegative(vector);
        });
      }
    });
  }
});
