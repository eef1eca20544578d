import {
  generateIdentity,
  type Identity,
  signPublicKeyBundle,
  unwrapIdentityPrivateKeys,
  verifyPublicKeyBundle,
  wrapIdentityPrivateKeys,
} from "@umbra/crypto";
import { KeyBundle } from "@umbra/protocol";
import { InvalidResponseError } from "./errors.js";
import type { HttpTransport } from "./http.js";

/**
 * The account's sharing identity: unwrapped from the key bundle, or created and published on first use
 * (accounts predating sharing, and new ones, get it the first time they share or are shared with).
 */
export async function loadOrCreateIdentity(
  http: HttpTransport,
  userId: string,
  masterKey: Uint8Array,
  retried = false,
): Promise<Identity> {
  const bundle = await http.json("/api/account/keys", KeyBundle);
  if (bundle.userId !== userId) throw new InvalidResponseError("The key bundle belongs to another user");
  if (bundle.publicKeys && bundle.wrappedPrivateKeys) {
    const identity = await unwrapIdentityPrivateKeys(masterKey, userId, bundle.wrappedPrivateKeys);
    // The published keys must be the ones our private keys belong to, or the server swapped them.
    const published = await verifyPublicKeyBundle(bundle.publicKeys, userId, identity.signing.publicKey);
    const ours = await signPublicKeyBundle(identity, userId);
    if (ours.hpkePublicKey !== bundle.publicKeys.hpkePublicKey || published.userId !== userId) {
      throw new InvalidResponseError("The published public keys do not match this account's private keys");
    }
    return identity;
  }
  const identity = await generateIdentity();
  try {
    await http.json("/api/account/identity", null, {
      method: "PUT",
      body: {
        publicKeys: await signPublicKeyBundle(identity, userId),
        wrappedPrivateKeys: await wrapIdentityPrivateKeys(masterKey, userId, identity),
      },
    });
  } catch (error) {
    // Another device published first: use its identity (once; a second conflict is a real error).
    if (!retried && (error as { code?: string }).code === "IDENTITY_EXISTS") {
      return loadOrCreateIdentity(http, userId, masterKey, true);
    }
    throw error;
  }
  return identity;
}
