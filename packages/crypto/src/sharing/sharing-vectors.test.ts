import { readFileSync } from "node:fs";
import { Aes256Gcm, CipherSuite, HkdfSha256 } from "@hpke/core";
import { XWing } from "@hpke/hybridkem-x-wing";
import { describe, expect, it } from "vitest";
import { fromBase64Url, fromHex, toBase64Url, toHex, utf8Encode } from "../bytes.js";
import { UmbraCryptoError } from "../errors.js";
import { keyContextAssociatedData } from "../key-context.js";
import { replay } from "../vector-randomness.js";
import { albumKeyChainContext, unwrapPreviousAlbumKey, wrapPreviousAlbumKeyWith } from "./album-key-chain.js";
import { albumKeyShareAssociatedData, openAlbumKey, sealAlbumKeyWith } from "./album-key-seal.js";
import {
  ciphertextDigest,
  fileRecordMessage,
  signFileRecord,
  verifyFileRecord,
} from "./file-record-signature.js";
import { grantMessage, sealedKeyDigest, signGrant, verifyGrant } from "./grant.js";
import { generateIdentityWith, unwrapIdentityPrivateKeys, wrapIdentityPrivateKeysWith } from "./identity.js";
import { publicKeyBundleMessage, signPublicKeyBundle, verifyPublicKeyBundle } from "./public-key-bundle.js";
import {
  deriveLinkKeys,
  generateLinkSecretWith,
  linkKeyAssociatedData,
  unwrapKeyForLink,
  wrapKeyForLinkWith,
} from "./public-link.js";
import { safetyNumber } from "./safety-number.js";

// biome-ignore lint/suspicious/noExplicitAny: the vector file is untyped JSON, checked field by field below.
type Json = any;
const file: Json = JSON.parse(
  readFileSync(new URL("../../test-vectors/sharing/sharing.json", import.meta.url), "utf8"),
);
const hex = (bytes: Uint8Array) => toHex(bytes);

const operations: Record<string, (input: Json) => Promise<unknown>> = {
  unwrapIdentityPrivateKeys: (i) => unwrapIdentityPrivateKeys(fromHex(i.masterKey), i.userId, i.wrapped),
  verifyPublicKeyBundle: (i) =>
    verifyPublicKeyBundle(
      i.bundle,
      i.userId,
      i.pinnedSigningPublicKey ? fromHex(i.pinnedSigningPublicKey) : undefined,
    ),
  openAlbumKey: (i) => openAlbumKey(fromHex(i.recipientHpkePrivateKey), fromHex(i.sealed), i.context),
  verifyGrant: (i) =>
    verifyGrant(
      i.grant,
      fromHex(i.signingPublicKey),
      i.sealedAlbumKey ? fromHex(i.sealedAlbumKey) : undefined,
    ),
  verifyFileRecord: (i) => verifyFileRecord(i.fields, i.signature, fromHex(i.signingPublicKey)),
  unwrapKeyForLink: (i) => unwrapKeyForLink(fromHex(i.linkKey), fromHex(i.wrapped), i.target, i.password),
  unwrapPreviousAlbumKey: (i) =>
    unwrapPreviousAlbumKey(fromHex(i.newKey), fromHex(i.wrapped), i.albumId, i.previousVersion),
};

describe("sharing test vectors", () => {
  it("has the v1 header", () => {
    expect(file.version).toBe(1);
    expect(file.generator).toBe("packages/crypto/scripts/generate-sharing-vectors.ts");
  });

  it("re-creates identities, their wrapped private keys and signed bundles", async () => {
    expect(file.identities).toHaveLength(3);
    for (const v of file.identities) {
      const random = replay(v.random);
      const identity = await generateIdentityWith(random);
      expect(random.rest()).toBe(0);
      expect(hex(identity.hpke.publicKey)).toBe(v.hpkePublicKey);
      expect(hex(identity.signing.publicKey)).toBe(v.signingPublicKey);
      const masterKey = fromHex(v.masterKey);
      expect(await unwrapIdentityPrivateKeys(masterKey, v.userId, v.wrappedPrivateKeys)).toEqual(identity);
      const wrapRandom = replay(v.wrapRandom);
      expect(await wrapIdentityPrivateKeysWith(wrapRandom, masterKey, v.userId, identity)).toEqual(
        v.wrappedPrivateKeys,
      );
      expect(wrapRandom.rest()).toBe(0);
      const bundle = v.publicKeyBundle;
      expect(hex(publicKeyBundleMessage(v.userId, bundle.hpkePublicKey, bundle.signingPublicKey))).toBe(
        v.bundleMessage,
      );
      expect(await signPublicKeyBundle(identity, v.userId)).toEqual(bundle);
      const verified = await verifyPublicKeyBundle(bundle, v.userId, fromHex(v.signingPublicKey));
      expect(hex(verified.hpkePublicKey)).toBe(v.hpkePublicKey);
    }
  });

  it("opens and re-seals the sealed album key", async () => {
    const v = file.sealedAlbumKey;
    expect(hex(albumKeyShareAssociatedData(v.context))).toBe(v.associatedData);
    expect(hex(await openAlbumKey(fromHex(v.recipientHpkePrivateKey), fromHex(v.sealed), v.context))).toBe(
      v.albumKey,
    );
    const random = replay(v.random);
    const sealed = await sealAlbumKeyWith(
      random,
      fromHex(v.recipientHpkePublicKey),
      fromHex(v.albumKey),
      v.context,
    );
    expect(hex(sealed)).toBe(v.sealed);
    expect(random.rest()).toBe(0);
  });

  it("matches the documented layout when opened with @hpke/core directly (not through sharing/)", async () => {
    const v = file.sealedAlbumKey;
    const kem = new XWing();
    const suite = new CipherSuite({ kem, kdf: new HkdfSha256(), aead: new Aes256Gcm() });
    const sealed = fromHex(v.sealed);
    expect(sealed[0]).toBe(0x01);
    const plaintext = await suite.open(
      {
        recipientKey: await kem.deserializePrivateKey(fromHex(v.recipientHpkePrivateKey)),
        enc: sealed.subarray(1, 1121),
        info: utf8Encode("umbra/v1/sealed-album-key"),
      },
      sealed.subarray(1121),
      fromHex(v.associatedData),
    );
    expect(hex(new Uint8Array(plaintext))).toBe(v.albumKey);
  });

  it("has signatures that plain Web Crypto Ed25519 accepts", async () => {
    const check = async (publicKeyHex: string, signature: string, messageHex: string) => {
      const key = await crypto.subtle.importKey(
        "raw",
        fromHex(publicKeyHex) as BufferSource,
        "Ed25519",
        false,
        ["verify"],
      );
      return crypto.subtle.verify(
        "Ed25519",
        key,
        fromBase64Url(signature) as BufferSource,
        fromHex(messageHex) as BufferSource,
      );
    };
    const alice = file.identities[0];
    expect(await check(alice.signingPublicKey, alice.publicKeyBundle.signature, alice.bundleMessage)).toBe(
      true,
    );
    expect(await check(file.grant.signingPublicKey, file.grant.grant.signature, file.grant.message)).toBe(
      true,
    );
    const f = file.fileRecord;
    expect(await check(f.signingPublicKey, f.signature, f.message)).toBe(true);
    expect(await check(f.signingPublicKey, f.signature, file.grant.message)).toBe(false);
  });

  it("verifies and re-signs the grant, bound to the sealed key", async () => {
    const v = file.grant;
    const { version: _version, signature: _signature, ...fields } = v.grant;
    expect(v.grant.sealedKeyDigest).toBe(sealedKeyDigest(fromHex(file.sealedAlbumKey.sealed)));
    expect(hex(grantMessage(fields))).toBe(v.message);
    await expect(
      verifyGrant(v.grant, fromHex(v.signingPublicKey), fromHex(file.sealedAlbumKey.sealed)),
    ).resolves.toEqual(v.grant);
    expect(await signGrant(fromHex(v.signingPrivateKey), fields)).toEqual(v.grant);
  });

  it("verifies and re-signs the file record over the blob's digest", async () => {
    const v = file.fileRecord;
    expect(await ciphertextDigest(fromHex(v.blob))).toBe(v.fields.contentDigest);
    expect(hex(fileRecordMessage(v.fields))).toBe(v.message);
    await expect(
      verifyFileRecord(v.fields, v.signature, fromHex(v.signingPublicKey)),
    ).resolves.toBeUndefined();
    expect(await signFileRecord(fromHex(v.signingPrivateKey), v.fields)).toBe(v.signature);
  });

  it("reproduces the safety numbers from both sides", () => {
    const byUser = new Map<string, Json>(file.identities.map((v: Json) => [v.userId, v]));
    const keys = (userId: string) => ({
      userId,
      hpkePublicKey: fromHex(byUser.get(userId).hpkePublicKey),
      signingPublicKey: fromHex(byUser.get(userId).signingPublicKey),
    });
    for (const v of file.safetyNumbers) {
      const expected = { digits: v.digits, qrPayload: v.qrPayload };
      expect(safetyNumber(keys(v.a), keys(v.b))).toEqual(expected);
      expect(safetyNumber(keys(v.b), keys(v.a))).toEqual(expected);
      expect(fromBase64Url(v.qrPayload)).toHaveLength(65);
    }
  });

  it("re-derives link keys and opens and re-wraps link-wrapped keys", async () => {
    expect(file.links).toHaveLength(2);
    for (const v of file.links) {
      const secretRandom = replay(v.secretRandom);
      expect(generateLinkSecretWith(secretRandom)).toBe(v.secret);
      const { linkId, linkKey } = await deriveLinkKeys(v.secret);
      expect(linkId).toBe(v.linkId);
      expect(hex(linkKey)).toBe(v.linkKey);
      expect(hex(linkKeyAssociatedData(v.target.purpose, v.target.linkId, v.target.objectId))).toBe(
        v.associatedData,
      );
      expect(hex(await unwrapKeyForLink(linkKey, fromHex(v.wrapped), v.target, v.password))).toBe(v.key);
      // The KDF salt draw (password links) was consumed by newKdfParams; only the IV is replayed here.
      const random = replay(v.password ? v.random.slice(1) : v.random);
      expect(hex(await wrapKeyForLinkWith(random, linkKey, fromHex(v.key), v.target, v.password))).toBe(
        v.wrapped,
      );
      expect(random.rest()).toBe(0);
      if (v.password) expect(v.password.kdf.salt).toBe(toBase64Url(fromHex(v.random[0])));
    }
  });

  it("re-wraps and unwraps the chained album key of a rotation", async () => {
    const v = file.keyChain;
    expect(hex(keyContextAssociatedData(albumKeyChainContext(v.albumId, v.previousVersion)))).toBe(
      v.associatedData,
    );
    const random = replay(v.random);
    const wrapped = await wrapPreviousAlbumKeyWith(
      random,
      fromHex(v.newKey),
      fromHex(v.previousKey),
      v.albumId,
      v.previousVersion,
    );
    expect(hex(wrapped)).toBe(v.wrapped);
    expect(random.rest()).toBe(0);
    const opened = await unwrapPreviousAlbumKey(
      fromHex(v.newKey),
      fromHex(v.wrapped),
      v.albumId,
      v.previousVersion,
    );
    expect(hex(opened)).toBe(v.previousKey);
  });

  it("fails every negative vector with its typed error", async () => {
    expect(file.negative.length).toBeGreaterThanOrEqual(15);
    for (const v of file.negative) {
      const operation = operations[v.operation];
      expect(operation, v.operation).toBeDefined();
      let caught: unknown;
      try {
        await operation!(v.input);
      } catch (error) {
        caught = error;
      }
      expect(caught, v.description).toBeInstanceOf(UmbraCryptoError);
      expect((caught as UmbraCryptoError).code, v.description).toBe(v.error);
    }
  });
});
