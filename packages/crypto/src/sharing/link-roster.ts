import { assertIdField, encodeAssociatedData } from "../associated-data.js";
import { utf8Encode } from "../bytes.js";
import { assertKey32, openEnvelope, sealEnvelope } from "../envelope.js";
import { InvalidInputError, TamperedError } from "../errors.js";
import { hkdfSha256 } from "../hkdf.js";
import { type RandomSource, systemRandom } from "../random.js";
import { assertSignature, ED25519_PUBLIC_KEY_LENGTH, signToBase64Url } from "./ed25519.js";

export const LINK_OWNER_KEY_INFO = "umbra/v1/link/owner";
export const LINK_OWNER_LABEL = "umbra/v1/link-owner";
export const LINK_ROSTER_LABEL = "umbra/v1/link-roster";

/** Who may place files in a linked album, as its owner signs it (SPEC §18, "Roster"). */
export interface LinkRosterPayload {
  linkId: string;
  albumId: string;
  ownerId: string;
  /** `new Date().toISOString()`. */
  issuedAt: string;
  contributors: { userId: string; signingPublicKey: string; grant: unknown }[];
}

export interface SignedLinkRoster {
  /** The payload's JSON text, exactly as signed. */
  payload: string;
  signature: string;
}

function ownerAssociatedData(linkId: string, albumId: string, ownerId: string): Uint8Array {
  assertIdField(linkId, "linkId");
  assertIdField(albumId, "albumId");
  assertIdField(ownerId, "ownerId");
  return encodeAssociatedData([LINK_OWNER_LABEL, "1", linkId, albumId, ownerId]);
}

function ownerKey(linkKey: Uint8Array): Promise<Uint8Array> {
  assertKey32(linkKey, "The link key");
  return hkdfSha256(linkKey, new Uint8Array(0), utf8Encode(LINK_OWNER_KEY_INFO), 32);
}

/** Internal: sealLinkOwner with an injected random source. */
export async function sealLinkOwnerWith(
  random: RandomSource,
  linkKey: Uint8Array,
  linkId: string,
  albumId: string,
  ownerId: string,
  ownerSigningPublicKey: Uint8Array,
): Promise<Uint8Array> {
  if (
    !(ownerSigningPublicKey instanceof Uint8Array) ||
    ownerSigningPublicKey.length !== ED25519_PUBLIC_KEY_LENGTH
  ) {
    throw new InvalidInputError("The owner's signing key must be 32 bytes");
  }
  return sealEnvelope(
    random,
    await ownerKey(linkKey),
    ownerSigningPublicKey,
    ownerAssociatedData(linkId, albumId, ownerId),
  );
}

/**
 * The owner's signing key sealed under the link key at creation: what a link visitor trusts placements by. The
 * server (which lacks the link key) cannot substitute it.
 */
export function sealLinkOwner(
  linkKey: Uint8Array,
  linkId: string,
  albumId: string,
  ownerId: string,
  ownerSigningPublicKey: Uint8Array,
): Promise<Uint8Array> {
  return sealLinkOwnerWith(systemRandom, linkKey, linkId, albumId, ownerId, ownerSigningPublicKey);
}

export async function openLinkOwner(
  linkKey: Uint8Array,
  linkId: string,
  albumId: string,
  ownerId: string,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  const key = await openEnvelope(
    await ownerKey(linkKey),
    sealed,
    ownerAssociatedData(linkId, albumId, ownerId),
  );
  if (key.length !== ED25519_PUBLIC_KEY_LENGTH) throw new TamperedError("The link's owner key is malformed");
  return key;
}

const rosterMessage = (payload: string) => encodeAssociatedData([LINK_ROSTER_LABEL, "1", payload]);

/** The owner signs the roster's JSON text as it is sent: `Ed25519(enc("umbra/v1/link-roster", "1", payload))`. */
export async function signLinkRoster(
  ownerSigningPrivateKey: Uint8Array,
  roster: LinkRosterPayload,
): Promise<SignedLinkRoster> {
  assertIdField(roster.linkId, "linkId");
  assertIdField(roster.albumId, "albumId");
  assertIdField(roster.ownerId, "ownerId");
  const payload = JSON.stringify(roster);
  return { payload, signature: await signToBase64Url(ownerSigningPrivateKey, rosterMessage(payload)) };
}

/** Checks the owner's signature and that the roster is this link's, of this album and owner. Else TAMPERED. */
export async function verifyLinkRoster(
  signed: SignedLinkRoster,
  ownerSigningPublicKey: Uint8Array,
  expected: { linkId: string; albumId: string; ownerId: string },
): Promise<LinkRosterPayload> {
  if (typeof signed?.payload !== "string") throw new InvalidInputError("Missing link roster");
  await assertSignature(
    ownerSigningPublicKey,
    signed.signature,
    rosterMessage(signed.payload),
    "The link roster",
  );
  const roster = JSON.parse(signed.payload) as LinkRosterPayload;
  if (
    roster.linkId !== expected.linkId ||
    roster.albumId !== expected.albumId ||
    roster.ownerId !== expected.ownerId ||
    !Array.isArray(roster.contributors)
  ) {
    throw new TamperedError("The link roster belongs to another link");
  }
  return roster;
}
