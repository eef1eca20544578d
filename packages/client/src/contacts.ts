import {
  equalBytes,
  fromBase64Url,
  type PublicKeys,
  toBase64Url,
  verifyPublicKeyBundle,
} from "@umbra/crypto";
import { UserKeysResponse } from "@umbra/protocol";
import { UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import type { KeyValueStore } from "./store.js";

const PIN_PREFIX = "contact-pin:";

/** What the client remembers of a contact's keys after first use (TOFU) or an explicit re-verification. */
interface Pin {
  email: string;
  signingPublicKey: string;
  hpkePublicKey: string;
  pinnedAt: string;
}

/** The server presented keys for a contact that differ from the pinned ones: nothing may be sealed to them. */
export class KeyChangedError extends UmbraClientError {
  constructor(
    readonly email: string,
    readonly userId: string,
  ) {
    super(
      "KEY_CHANGED",
      `The server now presents different keys for ${email} than the ones this device verified before. ` +
        "Compare safety numbers with them in person, then trust the new keys explicitly.",
    );
    this.name = "KeyChangedError";
  }
}

export interface Contact {
  userId: string;
  email: string;
  keys: PublicKeys;
  /** True when this lookup pinned the keys for the first time. */
  newlyPinned: boolean;
}

/** Looks up users' public keys, checks their self-signature and pins them on first use. */
export class Contacts {
  constructor(
    private readonly http: HttpTransport,
    private readonly store: KeyValueStore,
  ) {}

  private async pin(userId: string): Promise<Pin | undefined> {
    const raw = await this.store.get(PIN_PREFIX + userId);
    return raw ? (JSON.parse(raw) as Pin) : undefined;
  }

  private async fetch(path: string) {
    return this.http.json(path, UserKeysResponse);
  }

  /** A contact by email or user id, verified against its pin; first sight pins it. KEY_CHANGED when it differs. */
  async get(emailOrUserId: string, options: { pin?: boolean } = {}): Promise<Contact> {
    const answer = await this.lookup(emailOrUserId);
    const pinned = await this.pin(answer.userId);
    const keys = await verifyPublicKeyBundle(answer.publicKeys, answer.userId);
    if (pinned) {
      const same =
        equalBytes(fromBase64Url(pinned.signingPublicKey), keys.signingPublicKey) &&
        equalBytes(fromBase64Url(pinned.hpkePublicKey), keys.hpkePublicKey);
      if (!same) throw new KeyChangedError(answer.email, answer.userId);
      return { userId: answer.userId, email: answer.email, keys, newlyPinned: false };
    }
    if (options.pin !== false) await this.savePin(answer.email, keys);
    return { userId: answer.userId, email: answer.email, keys, newlyPinned: options.pin !== false };
  }

  /** The keys the server presents now (self-signature checked), ignoring the pin: to show a changed safety number. */
  async current(emailOrUserId: string): Promise<Contact> {
    const answer = await this.lookup(emailOrUserId);
    const keys = await verifyPublicKeyBundle(answer.publicKeys, answer.userId);
    return { userId: answer.userId, email: answer.email, keys, newlyPinned: false };
  }

  /** After the user compared safety numbers again: accept whatever keys the server now presents. */
  async trust(emailOrUserId: string): Promise<Contact> {
    const contact = await this.current(emailOrUserId);
    await this.savePin(contact.email, contact.keys);
    return { ...contact, newlyPinned: true };
  }

  private lookup(emailOrUserId: string) {
    return emailOrUserId.startsWith("u_")
      ? this.fetch(`/api/users/${encodeURIComponent(emailOrUserId)}/keys`)
      : this.fetch(`/api/users/lookup?email=${encodeURIComponent(emailOrUserId)}`);
  }

  private async savePin(email: string, keys: PublicKeys): Promise<void> {
    const pin: Pin = {
      email,
      signingPublicKey: toBase64Url(keys.signingPublicKey),
      hpkePublicKey: toBase64Url(keys.hpkePublicKey),
      pinnedAt: new Date().toISOString(),
    };
    await this.store.set(PIN_PREFIX + keys.userId, JSON.stringify(pin));
  }
}
