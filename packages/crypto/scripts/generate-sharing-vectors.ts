/**
 * Writes test-vectors/sharing/sharing.json (identity keys, sealed album keys, grants, file-record signatures,
 * safety numbers, public links). Run from the repository root: `npx tsx packages/crypto/scripts/generate-sharing-vectors.ts`.
 * Everything is deterministic: seeds, IVs, salts and the HPKE encapsulation randomness (64 bytes, X-Wing `ekm`)
 * come from a seeded SHA-256 counter-mode generator and are recorded in order as `random`; Ed25519 is
 * deterministic by design. So the test re-creates every output byte for byte, not only opens it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromHex, toBase64Url, toHex } from "../src/bytes.js";
import type { UmbraCryptoError } from "../src/errors.js";
import { newKdfParamsWith } from "../src/kdf.js";
import { keyContextAssociatedData } from "../src/key-context.js";
import {
  albumKeyChainContext,
  unwrapPreviousAlbumKey,
  wrapPreviousAlbumKeyWith,
} from "../src/sharing/album-key-chain.js";
import {
  type AlbumKeyShareContext,
  albumKeyShareAssociatedData,
  openAlbumKey,
  sealAlbumKeyWith,
} from "../src/sharing/album-key-seal.js";
import {
  ciphertextDigest,
  type FileRecordFields,
  fileRecordMessage,
  signFileRecord,
  verifyFileRecord,
} from "../src/sharing/file-record-signature.js";
import {
  type AlbumGrantFields,
  grantMessage,
  sealedKeyDigest,
  signGrant,
  verifyGrant,
} from "../src/sharing/grant.js";
import {
  generateIdentityWith,
  unwrapIdentityPrivateKeys,
  wrapIdentityPrivateKeysWith,
} from "../src/sharing/identity.js";
import {
  publicKeyBundleMessage,
  signPublicKeyBundle,
  verifyPublicKeyBundle,
} from "../src/sharing/public-key-bundle.js";
import {
  deriveLinkKeys,
  generateLinkSecretWith,
  type LinkTarget,
  linkKeyAssociatedData,
  unwrapKeyForLink,
  wrapKeyForLinkWith,
} from "../src/sharing/public-link.js";
import { safetyNumber } from "../src/sharing/safety-number.js";
import { recorder, seededRandom } from "../src/vector-randomness.js";

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "test-vectors", "sharing");
const GENERATOR = "packages/crypto/scripts/generate-sharing-vectors.ts";

interface Negative {
  description: string;
  operation: string;
  input: Record<string, unknown>;
  error: string;
}

/** Runs a failing operation and records its error code, so a negative vector cannot record a wrong code. */
async function negative(
  description: string,
  operation: string,
  input: Record<string, unknown>,
  run: () => Promise<unknown>,
): Promise<Negative> {
  try {
    await run();
  } catch (error) {
    return { description, operation, input, error: (error as UmbraCryptoError).code ?? "NOT_AN_UMBRA_ERROR" };
  }
  throw new Error(`Negative vector did not fail: ${description}`);
}

function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index]! ^= 0x01;
  return out;
}

const ALICE = "u_AAAAAAAAAAAAAAAAAAAAAA";
const BOB = "u_BBBBBBBBBBBBBBBBBBBBBA";
const CAROL = "u_CCCCCCCCCCCCCCCCCCCCCA";
const ALBUM = "a_AAAAAAAAAAAAAAAAAAAAAA";
const OTHER_ALBUM = "a_BBBBBBBBBBBBBBBBBBBBBA";
const FILE = "f_AAAAAAAAAAAAAAAAAAAAAA";

async function main(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/sharing"));
  const negatives: Negative[] = [];

  // Identities: one per user; each records its two seed draws.
  const identities = [];
  const keys: Record<string, Awaited<ReturnType<typeof generateIdentityWith>>> = {};
  for (const userId of [ALICE, BOB, CAROL]) {
    const identity = await generateIdentityWith(rng.random);
    const identityDraws = rng.take();
    const masterKey = rng.random(32);
    rng.take();
    const wrapped = await wrapIdentityPrivateKeysWith(rng.random, masterKey, userId, identity);
    const wrapDraws = rng.take();
    const bundle = await signPublicKeyBundle(identity, userId);
    keys[userId] = identity;
    identities.push({
      userId,
      random: identityDraws,
      hpkePublicKey: toHex(identity.hpke.publicKey),
      signingPublicKey: toHex(identity.signing.publicKey),
      masterKey: toHex(masterKey),
      wrapRandom: wrapDraws,
      wrappedPrivateKeys: wrapped,
      bundleMessage: toHex(publicKeyBundleMessage(userId, bundle.hpkePublicKey, bundle.signingPublicKey)),
      publicKeyBundle: bundle,
    });
  }
  const alice = keys[ALICE]!;
  const bob = keys[BOB]!;
  const carol = keys[CAROL]!;
  const aliceVector = identities[0]!;
  negatives.push(
    await negative(
      "identity keys of another user",
      "unwrapIdentityPrivateKeys",
      { masterKey: aliceVector.masterKey, userId: BOB, wrapped: aliceVector.wrappedPrivateKeys },
      () => unwrapIdentityPrivateKeys(fromHex(aliceVector.masterKey), BOB, aliceVector.wrappedPrivateKeys),
    ),
  );
  const substituted = { ...aliceVector.publicKeyBundle, hpkePublicKey: toBase64Url(carol.hpke.publicKey) };
  negatives.push(
    await negative(
      "bundle with a substituted HPKE public key",
      "verifyPublicKeyBundle",
      { bundle: substituted, userId: ALICE },
      () => verifyPublicKeyBundle(substituted, ALICE),
    ),
  );
  const reSigned = await signPublicKeyBundle(carol, ALICE);
  negatives.push(
    await negative(
      "bundle re-signed by another key, signing key pinned",
      "verifyPublicKeyBundle",
      { bundle: reSigned, userId: ALICE, pinnedSigningPublicKey: toHex(alice.signing.publicKey) },
      () => verifyPublicKeyBundle(reSigned, ALICE, alice.signing.publicKey),
    ),
  );

  // Sealed album key from Alice to Bob.
  const albumKey = rng.random(32);
  rng.take();
  const context: AlbumKeyShareContext = {
    albumId: ALBUM,
    recipientUserId: BOB,
    senderUserId: ALICE,
    role: "contributor",
    keyVersion: 2,
  };
  const sealed = await sealAlbumKeyWith(rng.random, bob.hpke.publicKey, albumKey, context);
  const sealedAlbumKey = {
    description: "album key sealed by Alice to Bob (random: the 64-byte X-Wing encapsulation randomness)",
    recipientHpkePrivateKey: toHex(bob.hpke.privateKey),
    recipientHpkePublicKey: toHex(bob.hpke.publicKey),
    albumKey: toHex(albumKey),
    context,
    associatedData: toHex(albumKeyShareAssociatedData(context)),
    random: rng.take(),
    sealed: toHex(sealed),
  };
  const sealedInput = (privateKey: Uint8Array, bytes: Uint8Array, ctx: AlbumKeyShareContext) => ({
    recipientHpkePrivateKey: toHex(privateKey),
    sealed: toHex(bytes),
    context: ctx,
  });
  negatives.push(
    await negative(
      "sealed album key opened by the wrong recipient",
      "openAlbumKey",
      sealedInput(carol.hpke.privateKey, sealed, context),
      () => openAlbumKey(carol.hpke.privateKey, sealed, context),
    ),
    await negative(
      "sealed album key with a swapped albumId",
      "openAlbumKey",
      sealedInput(bob.hpke.privateKey, sealed, { ...context, albumId: OTHER_ALBUM }),
      () => openAlbumKey(bob.hpke.privateKey, sealed, { ...context, albumId: OTHER_ALBUM }),
    ),
    await negative(
      "sealed album key with an upgraded role",
      "openAlbumKey",
      sealedInput(bob.hpke.privateKey, sealed, { ...context, role: "viewer" }),
      () => openAlbumKey(bob.hpke.privateKey, sealed, { ...context, role: "viewer" }),
    ),
    await negative(
      "sealed album key with a flipped ciphertext bit",
      "openAlbumKey",
      sealedInput(bob.hpke.privateKey, flipBit(sealed, 1130), context),
      () => openAlbumKey(bob.hpke.privateKey, flipBit(sealed, 1130), context),
    ),
  );

  // Grant signed by Alice for that sealed key.
  const grantFields: AlbumGrantFields = {
    albumId: ALBUM,
    granteeUserId: BOB,
    role: "contributor",
    keyVersion: 2,
    sealedKeyDigest: sealedKeyDigest(sealed),
    grantedBy: ALICE,
    issuedAt: "2026-11-24T18:00:00.000Z",
  };
  const grant = await signGrant(alice.signing.privateKey, grantFields);
  const grantVector = {
    signingPrivateKey: toHex(alice.signing.privateKey),
    signingPublicKey: toHex(alice.signing.publicKey),
    message: toHex(grantMessage(grantFields)),
    grant,
  };
  const modifiedGrant = { ...grant, role: "viewer" };
  negatives.push(
    await negative(
      "grant with a modified role",
      "verifyGrant",
      { grant: modifiedGrant, signingPublicKey: toHex(alice.signing.publicKey) },
      () => verifyGrant(modifiedGrant, alice.signing.publicKey),
    ),
    await negative(
      "grant checked against another user's key",
      "verifyGrant",
      { grant, signingPublicKey: toHex(carol.signing.publicKey) },
      () => verifyGrant(grant, carol.signing.publicKey),
    ),
    await negative(
      "grant for another sealed key",
      "verifyGrant",
      { grant, signingPublicKey: toHex(alice.signing.publicKey), sealedAlbumKey: toHex(flipBit(sealed, 5)) },
      () => verifyGrant(grant, alice.signing.publicKey, flipBit(sealed, 5)),
    ),
  );

  // File record signed by Bob (a contributor).
  const blob = seededRandom("umbra/v1/test-vectors/sharing/blob")(1000);
  const fileFields: FileRecordFields = {
    fileId: FILE,
    albumId: ALBUM,
    wrappedFileKey: toBase64Url(seededRandom("umbra/v1/test-vectors/sharing/wrapped-file-key")(61)),
    contentDigest: await ciphertextDigest(blob),
    uploaderUserId: BOB,
  };
  const fileSignature = await signFileRecord(bob.signing.privateKey, fileFields);
  const fileRecord = {
    blob: toHex(blob),
    fields: fileFields,
    message: toHex(fileRecordMessage(fileFields)),
    signingPrivateKey: toHex(bob.signing.privateKey),
    signingPublicKey: toHex(bob.signing.publicKey),
    signature: fileSignature,
  };
  negatives.push(
    await negative(
      "file record without a signature",
      "verifyFileRecord",
      { fields: fileFields, signature: null, signingPublicKey: toHex(bob.signing.publicKey) },
      () => verifyFileRecord(fileFields, null, bob.signing.publicKey),
    ),
    await negative(
      "file record signed by another key",
      "verifyFileRecord",
      { fields: fileFields, signature: fileSignature, signingPublicKey: toHex(carol.signing.publicKey) },
      () => verifyFileRecord(fileFields, fileSignature, carol.signing.publicKey),
    ),
    await negative(
      "file record moved to another album",
      "verifyFileRecord",
      {
        fields: { ...fileFields, albumId: OTHER_ALBUM },
        signature: fileSignature,
        signingPublicKey: toHex(bob.signing.publicKey),
      },
      () => verifyFileRecord({ ...fileFields, albumId: OTHER_ALBUM }, fileSignature, bob.signing.publicKey),
    ),
  );

  // Safety numbers (inputs: the identities above).
  const pub = (userId: string) => ({
    userId,
    hpkePublicKey: keys[userId]!.hpke.publicKey,
    signingPublicKey: keys[userId]!.signing.publicKey,
  });
  const safetyNumbers = [
    { a: ALICE, b: BOB, ...safetyNumber(pub(ALICE), pub(BOB)) },
    { a: CAROL, b: ALICE, ...safetyNumber(pub(CAROL), pub(ALICE)) },
  ];

  // Public links: one plain album link, one password-protected file link.
  const links = [];
  for (const [purpose, objectId, password] of [
    ["link-album-key", ALBUM, undefined],
    ["link-file-key", FILE, "correct horse battery staple"],
  ] as const) {
    const secret = generateLinkSecretWith(rng.random);
    const secretDraws = rng.take();
    const { linkId, linkKey } = await deriveLinkKeys(secret);
    const sharedKey = rng.random(32);
    rng.take();
    const kdf = password ? newKdfParamsWith(rng.random) : undefined;
    const target: LinkTarget = { purpose, linkId, objectId };
    const linkPassword = password && kdf ? { password, kdf } : undefined;
    const wrapped = await wrapKeyForLinkWith(rng.random, linkKey, sharedKey, target, linkPassword);
    links.push({
      secret,
      secretRandom: secretDraws,
      linkId,
      linkKey: toHex(linkKey),
      key: toHex(sharedKey),
      target,
      associatedData: toHex(linkKeyAssociatedData(purpose, linkId, objectId)),
      ...(linkPassword ? { password: linkPassword } : {}),
      random: rng.take(),
      wrapped: toHex(wrapped),
    });
    if (linkPassword) {
      negatives.push(
        await negative(
          "password link opened with a wrong password",
          "unwrapKeyForLink",
          {
            linkKey: toHex(linkKey),
            wrapped: toHex(wrapped),
            target,
            password: { ...linkPassword, password: "wrong" },
          },
          () => unwrapKeyForLink(linkKey, wrapped, target, { ...linkPassword, password: "wrong" }),
        ),
      );
    } else {
      const moved = { ...target, objectId: OTHER_ALBUM };
      negatives.push(
        await negative(
          "link-wrapped album key moved to another album",
          "unwrapKeyForLink",
          { linkKey: toHex(linkKey), wrapped: toHex(wrapped), target: moved },
          () => unwrapKeyForLink(linkKey, wrapped, moved),
        ),
      );
    }
  }

  // Key rotation: version 1 wrapped under version 2 (SPEC §17.6).
  const chainKeys = [rng.random(32), rng.random(32)];
  rng.take();
  const chained = await wrapPreviousAlbumKeyWith(rng.random, chainKeys[1]!, chainKeys[0]!, ALBUM, 1);
  const keyChain = {
    albumId: ALBUM,
    previousVersion: 1,
    previousKey: toHex(chainKeys[0]!),
    newKey: toHex(chainKeys[1]!),
    associatedData: toHex(keyContextAssociatedData(albumKeyChainContext(ALBUM, 1))),
    random: rng.take(),
    wrapped: toHex(chained),
  };
  negatives.push(
    await negative(
      "chained album key read as another version",
      "unwrapPreviousAlbumKey",
      { newKey: keyChain.newKey, wrapped: keyChain.wrapped, albumId: ALBUM, previousVersion: 2 },
      () => unwrapPreviousAlbumKey(chainKeys[1]!, chained, ALBUM, 2),
    ),
  );

  mkdirSync(OUT_DIR, { recursive: true });
  const file = {
    version: 1,
    description: "Sharing and public links (docs/SPEC.md §17, §18). Raw bytes hex; wire records base64url.",
    generator: GENERATOR,
    identities,
    sealedAlbumKey,
    grant: grantVector,
    fileRecord,
    safetyNumbers,
    links,
    keyChain,
    negative: negatives,
  };
  writeFileSync(join(OUT_DIR, "sharing.json"), `${JSON.stringify(file, null, 2)}\n`);
  console.log("wrote sharing/sharing.json");
}

await main();
