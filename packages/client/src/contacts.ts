import { equalBytes, fromBase64Url, toBase64Url } from "@umbra/crypto";
import { type PublicKeys, verifyPublicKeyBundle } from "@umbra/crypto/sharing";
import { UserKeysResponse } from "@umbra/protocol";
import { InvalidResponseError, UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import type { KeyValueStore } from "./store.js";

const PIN_PREFIX = "contact-pin:";
/** email → the user id first seen for it: another id answering to a pinned email is KEY_CHANGED. */
const EMAIL_PREFIX = "contact-email:";

/** What the client remembers of a contact's keys after first use (TOFU) or an explicit re-verification. */
interface Pin {
  email: string;
  signingPublicKey: string;
  hpkePublicKey: string;
  pinnedAt: string;
}

/** The server presented keys (or an account) for a contact that differ from the pinned ones: nothing may be sealed. */
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
  /** From this device's pin once pinned, never from a later server answer. */
  email: string;
  keys: PublicKeys;
  /** True when this lookup pinned the keys for the first time. */
  newlyPinned: boolean;
  /** True when this device had no pin for this person before this lookup (pinned now or not). */
  firstContact: boolean;
}

const normalEmail = (email: string) => email.trim().toLowerCase();
const isUserId = (value: string) => value.startsWith("u_");

/**
 * Looks up users' public keys, checks that the answer names exactly who was asked for and carries a valid
 * self-signature, and pins email → user id → keys on first use.
 */
export class Contacts {
  constructor(
    private readonly http: HttpTransport,
    private readonly store: KeyValueStore,
  ) {}

  private async pin(userId: string): Promise<Pin | undefined> {
    const raw = await this.store.get(PIN_PREFIX + userId);
    return raw ? (JSON.parse(raw) as Pin) : undefined;
  }

  /** The pinned user id of an email, if this device pinned one. */
  private async pinnedId(email: string): Promise<string | undefined> {
    return this.store.get(EMAIL_PREFIX + normalEmail(email));
  }

  /** The name this device knows a user by (its pin), without asking the server; undefined when never pinned. */
  async knownEmail(userId: string): Promise<string | undefined> {
    return (await this.pin(userId))?.email;
  }

  /** A contact by email or user id, verified against its pins; first sight pins it. KEY_CHANGED when it differs. */
  async get(emailOrUserId: string, options: { pin?: boolean } = {}): Promise<Contact> {
    const { answer, keys } = await this.lookup(emailOrUserId);
    const pinned = await this.pin(answer.userId);
    const idOfEmail = await this.pinnedId(answer.email);
    // The email is pinned to another account: the server substitutes someone else for this person.
    if (idOfEmail !== undefined && idOfEmail !== answer.userId) {
      throw new KeyChangedError(answer.email, answer.userId);
    }
    if (pinned) {
      const same =
        equalBytes(fromBase64Url(pinned.signingPublicKey), keys.signingPublicKey) &&
        equalBytes(fromBase64Url(pinned.hpkePublicKey), keys.hpkePublicKey);
      // Asked by email, and the server says the person pinned under another email answers to it.
      if (!same || (!isUserId(emailOrUserId) && pinned.email !== answer.email)) {
        throw new KeyChangedError(pinned.email, answer.userId);
      }
      // Pins made before emails were pinned to ids get theirs now (from the pin, not the answer).
      if ((await this.pinnedId(pinned.email)) === undefined)
        await this.store.set(EMAIL_PREFIX + pinned.email, answer.userId);
      return { userId: answer.userId, email: pinned.email, keys, newlyPinned: false, firstContact: false };
    }
    const pinNow = options.pin !== false;
    if (pinNow) await this.savePin(answer.email, keys);
    return { userId: answer.userId, email: answer.email, keys, newlyPinned: pinNow, firstContact: true };
  }

  /** The keys the server presents now (self-signature checked), ignoring the pin: to show a changed safety number. */
  async current(emailOrUserId: string): Promise<Contact> {
    const { answer, keys } = await this.lookup(emailOrUserId);
    const pinned = await this.pin(answer.userId);
    return {
      userId: answer.userId,
      email: answer.email,
      keys,
      newlyPinned: false,
      firstContact: pinned === undefined,
    };
  }

  /** Pins a contact looked up with `pin: false`, once the user confirmed its safety number. */
  async pinContact(contact: Contact): Promise<void> {
    await this.savePin(contact.email, contact.keys);
  }

  /** After the user compared safety numbers again: accept whatever account and keys the server now presents. */
  async trust(emailOrUserId: string): Promise<Contact> {
    const contact = await this.current(emailOrUserId);
    await this.savePin(contact.email, contact.keys);
    return { ...contact, newlyPinned: true };
  }

  /** Asks the server, and refuses an answer that names anyone but the one asked for or is not self-signed. */
  private async lookup(emailOrUserId: string): Promise<{ answer: UserKeysResponse; keys: PublicKeys }> {
    const byId = isUserId(emailOrUserId);
    const answer = await this.http.json(
      byId
        ? `/api/users/${encodeURIComponent(emailOrUserId)}/keys`
        : `/api/users/lookup?email=${encodeURIComponent(normalEmail(emailOrUserId))}`,
      UserKeysResponse,
    );
    if (byId ? answer.userId !== emailOrUserId : answer.email !== normalEmail(emailOrUserId)) {
      throw new InvalidResponseError(
        `The server answered a lookup of ${emailOrUserId} with ${byId ? answer.userId : answer.email}`,
      );
    }
    const keys = await verifyPublicKeyBundle(answer.publicKeys, answer.userId);
    return { answer: { ...answer, email: normalEmail(answer.email) }, keys };
  }

  private async savePin(email: string, keys: PublicKeys): Promise<void> {
    const pin: Pin = {
      email,
      signingPublicKey: toBase64Url(keys.signingPublicKey),
      hpkePublicKey: toBase64Url(keys.hpkePublicKey),
      pinnedAt: new Date().toISOString(),
    };
    await this.store.set(PIN_PREFIX + keys.userId, JSON.stringify(pin));
    await this.store.set(EMAIL_PREFIX + email, keys.userId);
  }
}
