import { fromBase64Url, toBase64Url } from "../bytes.js";
import { InvalidInputError, UnsupportedVersionError } from "../errors.js";
import type { KeyContext } from "../key-context.js";
import { type RandomSource, systemRandom } from "../random.js";
import { unwrapKey, wrapKeyWith } from "../wrap.js";
import { ED25519_SEED_LENGTH, ed25519PublicKey } from "./ed25519.js";
import { X_WING_SEED_LENGTH, xWingPublicKey } from "./x-wing.js";

/** A key pair as bytes. Private keys are 32-byte seeds (X-Wing seed, Ed25519 seed). */
export interface KeyPairBytes {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** A user's sharing identity: an X-Wing key pair to receive album keys and an Ed25519 key pair to sign. */
export interface Identity {
  hpke: KeyPairBytes;
  signing: KeyPairBytes;
}

/** The key bundle's `wrappedPrivateKeys`: both seeds wrapped by the master key (base64url envelopes). */
export interface WrappedIdentityPrivateKeys {
  version: 1;
  hpkePrivateKey: string;
  signingPrivateKey: string;
}

/** Key names used as `objectId` of the `identity-private-key` wrap context. */
export const HPKE_PRIVATE_KEY_NAME = "x-wing";
export const SIGNING_PRIVATE_KEY_NAME = "ed25519";

function identityContext(userId: string, keyName: string): KeyContext {
  return { purpose: "identity-private-key", ownerId: userId, objectId: keyName };
}

async function identityFromSeeds(hpkeSeed: Uint8Array, signingSeed: Uint8Array): Promise<Identity> {
  return {
    hpke: { publicKey: await xWingPublicKey(hpkeSeed), privateKey: hpkeSeed },
    signing: { publicKey: await ed25519PublicKey(signingSeed), privateKey: signingSeed },
  };
}

/** Internal: generateIdentity with an injected random source (draws: X-Wing seed, then Ed25519 seed). */
export async function generateIdentityWith(random: RandomSource): Promise<Identity> {
  const hpkeSeed = random(X_WING_SEED_LENGTH);
  const signingSeed = random(ED25519_SEED_LENGTH);
  if (hpkeSeed.length !== X_WING_SEED_LENGTH || signingSeed.length !== ED25519_SEED_LENGTH) {
    throw new InvalidInputError("The random source returned a wrong-sized seed");
  }
  return identityFromSeeds(hpkeSeed, signingSeed);
}

/** A fresh identity: X-Wing (1216-byte public key) and Ed25519 (32-byte public key) key pairs from random seeds. */
export function generateIdentity(): Promise<Identity> {
  return generateIdentityWith(systemRandom);
}

/** Internal: wrapIdentityPrivateKeys with an injected random source (draws: two IVs). */
export async function wrapIdentityPrivateKeysWith(
  random: RandomSource,
  masterKey: Uint8Array,
  userId: string,
  identity: Identity,
): Promise<WrappedIdentityPrivateKeys> {
  const hpke = await wrapKeyWith(
    random,
    masterKey,
    identity.hpke.privateKey,
    identityContext(userId, HPKE_PRIVATE_KEY_NAME),
  );
  const signing = await wrapKeyWith(
    random,
    masterKey,
    identity.signing.privateKey,
    identityContext(userId, SIGNING_PRIVATE_KEY_NAME),
  );
  return { version: 1, hpkePrivateKey: toBase64Url(hpke), signingPrivateKey: toBase64Url(signing) };
}

/** Wraps both private keys with the master key (purpose `identity-private-key`, ownerId = user, objectId = key name). */
export function wrapIdentityPrivateKeys(
  masterKey: Uint8Array,
  userId: string,
  identity: Identity,
): Promise<WrappedIdentityPrivateKeys> {
  return wrapIdentityPrivateKeysWith(systemRandom, masterKey, userId, identity);
}

/** Unwraps both private keys and recomputes the public keys. Wrong key, user or swapped fields → TAMPERED. */
export async function unwrapIdentityPrivateKeys(
  masterKey: Uint8Array,
  userId: string,
  wrapped: WrappedIdentityPrivateKeys,
): Promise<Identity> {
  if (typeof wrapped !== "object" || wrapped === null) {
    throw new InvalidInputError("Missing wrapped private keys");
  }
  if (wrapped.version !== 1) {
    throw new UnsupportedVersionError(`Unsupported wrapped private keys version ${String(wrapped.version)}`);
  }
  if (typeof wrapped.hpkePrivateKey !== "string" || typeof wrapped.signingPrivateKey !== "string") {
    throw new InvalidInputError("Wrapped private keys must be base64url strings");
  }
  const hpkeSeed = await unwrapKey(
    masterKey,
    fromBase64Url(wrapped.hpkePrivateKey),
    identityContext(userId, HPKE_PRIVATE_KEY_NAME),
  );
  const signingSeed = await unwrapKey(
    masterKey,
    fromBase64Url(wrapped.signingPrivateKey),
    identityContext(userId, SIGNING_PRIVATE_KEY_NAME),
  );
  return identityFromSeeds(hpkeSeed, signingSeed);
}
