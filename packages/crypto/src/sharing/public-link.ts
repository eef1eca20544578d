import { assertIdField, encodeAssociatedData } from "../associated-data.js";
import { concatBytes, fromBase64Url, toBase64Url, utf8Encode } from "../bytes.js";
import { assertKey32, openEnvelope, sealEnvelope } from "../envelope.js";
import { InvalidInputError, TamperedError, WrongPasswordError } from "../errors.js";
import { LINK_ID_PATTERN } from "../formats.js";
import { hkdfSha256 } from "../hkdf.js";
import { WRAP_LABEL } from "../key-context.js";
import { type RandomSource, systemRandom } from "../random.js";
import { deriveLinkPasswordKey, type LinkKdfParams } from "./link-password-kdf.js";

export const LINK_SECRET_LENGTH = 32;
export const LINK_ID_INFO = "umbra/v1/link/id";
export const LINK_KEY_INFO = "umbra/v1/link/key";
export const LINK_PASSWORD_KEY_LABEL = "umbra/v1/link/password-key";

/** What a link key wraps: purposes outside key-context.ts's list, in the same `enc(umbra/v1/wrap, …)` layout. */
export const LINK_KEY_PURPOSES = ["link-album-key", "link-file-key"] as const;
export type LinkKeyPurpose = (typeof LINK_KEY_PURPOSES)[number];

export interface LinkKeys {
  /** `l_` + 22 base64url characters: the only thing the server learns (lookup token). */
  linkId: string;
  /** Wraps the shared album or file key. Never leaves the client. */
  linkKey: Uint8Array;
}

/**
 * Optional second factor: the password and the link's stored KDF parameters: Argon2id from `newLinkKdfParams()`
 * for new links (format v2), PBKDF2 (`KdfParams`, format v1) on links made before.
 */
export interface LinkPassword {
  password: string;
  kdf: LinkKdfParams;
}

/** Internal: generateLinkSecret with an injected random source. */
export function generateLinkSecretWith(random: RandomSource): string {
  const secret = random(LINK_SECRET_LENGTH);
  if (secret.length !== LINK_SECRET_LENGTH)
    throw new InvalidInputError("The random source returned a wrong-sized secret");
  return toBase64Url(secret);
}

/** 32 random bytes as 43 base64url characters, for the URL fragment (never sent to the server). */
export function generateLinkSecret(): string {
  return generateLinkSecretWith(systemRandom);
}

function decodeSecret(secret: unknown): Uint8Array {
  if (typeof secret !== "string") throw new InvalidInputError("The link secret must be a base64url string");
  const bytes = fromBase64Url(secret);
  if (bytes.length !== LINK_SECRET_LENGTH) throw new InvalidInputError("The link secret must be 32 bytes");
  return bytes;
}

/** linkId = "l_" ‖ b64url(HKDF(secret, info "umbra/v1/link/id", 16)); linkKey = HKDF(secret, info "umbra/v1/link/key", 32). */
export async function deriveLinkKeys(secret: string): Promise<LinkKeys> {
  const ikm = decodeSecret(secret);
  const empty = new Uint8Array(0);
  const id = await hkdfSha256(ikm, empty, utf8Encode(LINK_ID_INFO), 16);
  const linkKey = await hkdfSha256(ikm, empty, utf8Encode(LINK_KEY_INFO), 32);
  return { linkId: `l_${toBase64Url(id)}`, linkKey };
}

/**
 * Mixes a password into the link key: HKDF(ikm = linkKey ‖ KDF(password), info = enc(label, linkId)), KDF =
 * Argon2id (v2) or PBKDF2 (v1) as the stored parameters say. The server holds neither input, so it cannot guess
 * passwords; a URL holder must still know the password, and pays one KDF run per guess.
 */
async function passwordLinkKey(
  linkKey: Uint8Array,
  linkId: string,
  password: LinkPassword,
): Promise<Uint8Array> {
  const passwordKey = await deriveLinkPasswordKey(password.password, password.kdf);
  return hkdfSha256(
    concatBytes(linkKey, passwordKey),
    new Uint8Array(0),
    encodeAssociatedData([LINK_PASSWORD_KEY_LABEL, linkId]),
  );
}

/** AD = enc("umbra/v1/wrap", purpose, linkId, objectId): the wrap layout of key-context.ts with link purposes. */
export function linkKeyAssociatedData(purpose: LinkKeyPurpose, linkId: string, objectId: string): Uint8Array {
  if (!LINK_KEY_PURPOSES.includes(purpose))
    throw new InvalidInputError(`Unknown link key purpose ${JSON.stringify(purpose)}`);
  if (typeof linkId !== "string" || !LINK_ID_PATTERN.test(linkId))
    throw new InvalidInputError("Malformed link id");
  assertIdField(objectId, "objectId");
  return encodeAssociatedData([WRAP_LABEL, purpose, linkId, objectId]);
}

/** What a link shares: the album (objectId = album id) or one file (objectId = file id). */
export interface LinkTarget {
  purpose: LinkKeyPurpose;
  linkId: string;
  objectId: string;
}

/** Internal: wrapKeyForLink with an injected random source (draws: one IV). */
export async function wrapKeyForLinkWith(
  random: RandomSource,
  linkKey: Uint8Array,
  key: Uint8Array,
  target: LinkTarget,
  password?: LinkPassword,
): Promise<Uint8Array> {
  assertKey32(linkKey, "The link key");
  assertKey32(key, "The key to share");
  const associatedData = linkKeyAssociatedData(target.purpose, target.linkId, target.objectId);
  const wrappingKey = password ? await passwordLinkKey(linkKey, target.linkId, password) : linkKey;
  return sealEnvelope(random, wrappingKey, key, associatedData);
}

/** Wraps an album or file key for a public link (envelope of wrap.ts), optionally also under a password. */
export function wrapKeyForLink(
  linkKey: Uint8Array,
  key: Uint8Array,
  target: LinkTarget,
  password?: LinkPassword,
): Promise<Uint8Array> {
  return wrapKeyForLinkWith(systemRandom, linkKey, key, target, password);
}

/** Reverses wrapKeyForLink. Without password: failure → TAMPERED; with one: failure → WRONG_PASSWORD. */
export async function unwrapKeyForLink(
  linkKey: Uint8Array,
  wrapped: Uint8Array,
  target: LinkTarget,
  password?: LinkPassword,
): Promise<Uint8Array> {
  assertKey32(linkKey, "The link key");
  const associatedData = linkKeyAssociatedData(target.purpose, target.linkId, target.objectId);
  if (!password) return openEnvelope(linkKey, wrapped, associatedData);
  const wrappingKey = await passwordLinkKey(linkKey, target.linkId, password);
  try {
    return await openEnvelope(wrappingKey, wrapped, associatedData);
  } catch (error) {
    // As for the master key: with a password in play, an authentication failure most likely means a wrong one.
    if (error instanceof TamperedError) throw new WrongPasswordError(undefined, { cause: error });
    throw error;
  }
}
