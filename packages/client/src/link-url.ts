import { ciphertextDigest } from "@umbra/crypto/sharing";
import { UmbraClientError } from "./errors.js";

/**
 * The web app's link page lives at /s; the secret rides in the fragment, which browsers never send. Album links
 * add `.` and a tag of the owner's signing key (SPEC §18): visitors then require the roster and that owner.
 */
export function linkUrl(serverUrl: string, secret: string, ownerTag?: string): string {
  return `${serverUrl.replace(/\/+$/, "")}/s#${secret}${ownerTag ? `.${ownerTag}` : ""}`;
}

/** The first 22 base64url characters (128 bits) of SHA-256 of an owner's Ed25519 public key. */
export async function ownerKeyTag(signingPublicKey: Uint8Array): Promise<string> {
  return (await ciphertextDigest(signingPublicKey)).slice(0, 22);
}

/** Splits a link URL into its server, secret and (album links made since rosters) owner tag. */
export function parseLinkUrl(url: string): { serverUrl: string; secret: string; ownerTag?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UmbraClientError("INVALID_INPUT", "That is not a link URL");
  }
  const match = /^([A-Za-z0-9_-]{43})(?:\.([A-Za-z0-9_-]{22}))?$/.exec(parsed.hash.replace(/^#/, ""));
  if (!match) {
    throw new UmbraClientError("INVALID_INPUT", "The link has no valid secret after '#' (was it cut off?)");
  }
  const path = parsed.pathname.replace(/\/s\/?$/, "");
  return {
    serverUrl: `${parsed.origin}${path}`,
    secret: match[1]!,
    ...(match[2] ? { ownerTag: match[2] } : {}),
  };
}
