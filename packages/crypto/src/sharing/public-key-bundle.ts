import { assertIdField, encodeAssociatedData } from "../associated-data.js";
import { equalBytes, fromBase64Url, toBase64Url } from "../bytes.js";
import { InvalidInputError, TamperedError, UnsupportedVersionError } from "../errors.js";
import { assertSignature, ED25519_PUBLIC_KEY_LENGTH, signToBase64Url } from "./ed25519.js";
import type { Identity } from "./identity.js";
import { X_WING_PUBLIC_KEY_LENGTH } from "./x-wing.js";

export const PUBLIC_KEY_BUNDLE_LABEL = "umbra/v1/public-key-bundle";

/** A user's published public keys (the key bundle's `publicKeys`), self-signed by the signing key. */
export interface PublicKeyBundle {
  version: 1;
  userId: string;
  hpkePublicKey: string;
  signingPublicKey: string;
  signature: string;
}

/** Public keys after verification, as bytes. */
export interface PublicKeys {
  userId: string;
  hpkePublicKey: Uint8Array;
  signingPublicKey: Uint8Array;
}

/** Signed message: `enc("umbra/v1/public-key-bundle", "1", userId, hpkePublicKey, signingPublicKey)` (base64url keys). */
export function publicKeyBundleMessage(userId: string, hpkePublicKey: string, signingPublicKey: string) {
  return encodeAssociatedData([PUBLIC_KEY_BUNDLE_LABEL, "1", userId, hpkePublicKey, signingPublicKey]);
}

export async function signPublicKeyBundle(identity: Identity, userId: string): Promise<PublicKeyBundle> {
  assertIdField(userId, "userId");
  const hpkePublicKey = toBase64Url(identity.hpke.publicKey);
  const signingPublicKey = toBase64Url(identity.signing.publicKey);
  const signature = await signToBase64Url(
    identity.signing.privateKey,
    publicKeyBundleMessage(userId, hpkePublicKey, signingPublicKey),
  );
  return { version: 1, userId, hpkePublicKey, signingPublicKey, signature };
}

function decodeKey(text: unknown, length: number, what: string): Uint8Array {
  if (typeof text !== "string") throw new InvalidInputError(`${what} must be a base64url string`);
  const bytes = fromBase64Url(text);
  if (bytes.length !== length) throw new InvalidInputError(`${what} must be ${length} bytes`);
  return bytes;
}

/**
 * Checks a bundle fetched from the server: well-formed, for `expectedUserId`, validly self-signed, and, when the
 * caller has pinned the user's signing key (after a safety-number check), signed by that key. Failures of
 * the last three → TAMPERED. The self-signature alone only proves the keys belong together; trust comes from the pin.
 */
export async function verifyPublicKeyBundle(
  bundle: unknown,
  expectedUserId: string,
  pinnedSigningPublicKey?: Uint8Array,
): Promise<PublicKeys> {
  if (typeof bundle !== "object" || bundle === null) throw new InvalidInputError("Missing public key bundle");
  const { version, userId, hpkePublicKey, signingPublicKey, signature } = bundle as Record<string, unknown>;
  if (version !== 1)
    throw new UnsupportedVersionError(`Unsupported public key bundle version ${String(version)}`);
  assertIdField(userId, "userId");
  assertIdField(expectedUserId, "expectedUserId");
  const hpke = decodeKey(hpkePublicKey, X_WING_PUBLIC_KEY_LENGTH, "hpkePublicKey");
  const signing = decodeKey(signingPublicKey, ED25519_PUBLIC_KEY_LENGTH, "signingPublicKey");
  if (userId !== expectedUserId) throw new TamperedError("The public key bundle belongs to another user");
  const message = publicKeyBundleMessage(userId, hpkePublicKey as string, signingPublicKey as string);
  await assertSignature(signing, signature, message, "The public key bundle");
  if (pinnedSigningPublicKey !== undefined && !equalBytes(pinnedSigningPublicKey, signing)) {
    throw new TamperedError("The user's signing key changed since it was verified");
  }
  return { userId, hpkePublicKey: hpke, signingPublicKey: signing };
}
