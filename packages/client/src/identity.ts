import { equalBytes, fromBase64Url, toBase64Url } from "@umbra/crypto";
import {
  generateIdentity,
  type Identity,
  signPublicKeyBundle,
  unwrapIdentityPrivateKeys,
  verifyPublicKeyBundle,
  wrapIdentityPrivateKeys,
} from "@umbra/crypto/sharing";
import { KeyBundle } from "@umbra/protocol";
import { errorCode, InvalidResponseError, UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import type { KeyValueStore } from "./store.js";

/** This device's pin of its own account's public keys (so "you have no identity" is not believed). */
const OWN_PIN = "trust:own-identity";

/** The server presents no sharing identity for an account that has one: replacing it silently would break shares. */
export class IdentityMissingError extends UmbraClientError {
  constructor(pinned: boolean) {
    super(
      "IDENTITY_MISSING",
      pinned
        ? "The server no longer presents this account's sharing keys, which this device saw before. Umbra will not " +
            "replace them: albums shared with you would stop opening. Contact the server's operator."
        : "The server says this account has no sharing keys. Umbra creates them only when you ask " +
            "(Settings → Sharing keys, or `umbra identity create`), since replacing real ones breaks shares.",
    );
    this.name = "IdentityMissingError";
  }
}

export interface IdentityOptions {
  /** Create and publish an identity when the server presents none (at sign-up, or when the user asks). */
  create?: boolean;
  /** Also when this device saw one before (the user knowingly gives up what was shared with the old keys). */
  replace?: boolean;
}

/**
 * The account's sharing identity, unwrapped from the key bundle. A new one is created and published only when
 * the caller says so (`create`): never because the server left it out.
 */
export async function loadOrCreateIdentity(
  http: HttpTransport,
  store: KeyValueStore,
  userId: string,
  masterKey: Uint8Array,
  options: IdentityOptions = {},
  retried = false,
): Promise<Identity> {
  const bundle = await http.json("/api/account/keys", KeyBundle);
  if (bundle.userId !== userId) throw new InvalidResponseError("The key bundle belongs to another user");
  const pinned = await store.get(OWN_PIN);
  if (bundle.publicKeys && bundle.wrappedPrivateKeys) {
    // The private keys come out of an authenticated unwrap under the master key: only this user made them.
    const identity = await unwrapIdentityPrivateKeys(masterKey, userId, bundle.wrappedPrivateKeys);
    // The published keys must be the ones our private keys belong to, or the server swapped them.
    const published = await verifyPublicKeyBundle(bundle.publicKeys, userId, identity.signing.publicKey);
    const ours = await signPublicKeyBundle(identity, userId);
    if (ours.hpkePublicKey !== bundle.publicKeys.hpkePublicKey || published.userId !== userId) {
      throw new InvalidResponseError("The published public keys do not match this account's private keys");
    }
    await pinOwn(store, identity);
    return identity;
  }
  if (!options.create) throw new IdentityMissingError(pinned !== undefined);
  if (pinned !== undefined && !options.replace) throw new IdentityMissingError(true);
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
    if (!retried && errorCode(error) === "IDENTITY_EXISTS") {
      return loadOrCreateIdentity(http, store, userId, masterKey, {}, true);
    }
    throw error;
  }
  await pinOwn(store, identity);
  return identity;
}

async function pinOwn(store: KeyValueStore, identity: Identity): Promise<void> {
  const signing = toBase64Url(identity.signing.publicKey);
  const known = await store.get(OWN_PIN);
  if (known && equalBytes(fromBase64Url(known), identity.signing.publicKey)) return;
  await store.set(OWN_PIN, signing);
}
