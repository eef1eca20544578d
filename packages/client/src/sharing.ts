import { equalBytes, fromBase64Url, generateAlbumKey, toBase64Url } from "@umbra/crypto";
import {
  type Identity,
  type PublicKeys,
  type SafetyNumber,
  safetyNumber,
  sealAlbumKey,
  sealedKeyDigest,
  signGrant,
  verifyGrant,
  wrapPreviousAlbumKey,
} from "@umbra/crypto/sharing";
import {
  type AlbumGrantWire,
  KeyChainResponse,
  type MemberGrant,
  MembersResponse,
  SharedAlbumsResponse,
  type ShareRole,
} from "@umbra/protocol";
import type { AlbumEvents } from "./album-events.js";
import type { AlbumKeyRing } from "./album-keys.js";
import { checkpointChanges } from "./checkpoint-body.js";
import { type Contacts, KeyChangedError } from "./contacts.js";
import { UmbraClientError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import { decryptAlbumNameFor, encryptAlbumNameFor, wrapAlbumKeyFor } from "./keys.js";
import type { Library } from "./library.js";
import { openMembership } from "./membership.js";

export type AlbumRole = "owner" | ShareRole;

export interface SharedAlbumEntry {
  id: string;
  name: string;
  ownerId: string;
  ownerEmail: string;
  role: AlbumRole;
  keyVersion: number;
}

export interface MemberEntry {
  userId: string;
  /** From this device's pin, never from the server's answer. */
  email: string;
  role: ShareRole;
  /** The owner-signed grant (verified). */
  grant?: AlbumGrantWire;
}

/** A record the client refused to trust: the server sent something no member signed for. */
export interface RejectedRecord {
  id: string;
  reason: string;
}

export interface SharingDeps {
  http: HttpTransport;
  userId: string;
  masterKey: Uint8Array;
  library: Library;
  contacts: Contacts;
  keyRing: AlbumKeyRing;
  identity: () => Promise<Identity>;
  /** The account's own email (as logged in; ours is never taken from another server answer). */
  ownEmail: () => string;
  /** Told when an album was shared and when its members changed (shared files and links follow up). */
  events: AlbumEvents;
}

/** Album sharing between accounts: grants sealed with HPKE and signed, removal with key rotation, leaving. */
export class Sharing {
  constructor(private readonly deps: SharingDeps) {}

  /** The owner's current album key and its version, straight from the server (never a stale cache). */
  async ownAlbumKey(albumId: string): Promise<{ key: Uint8Array; version: number }> {
    const { library, http, keyRing } = this.deps;
    const { keyVersion } = await http.json(`/api/albums/${albumId}/key-chain`, KeyChainResponse);
    const record = (await library.sync()).albums[albumId];
    if (!record) throw new UmbraClientError("NOT_FOUND", `You own no album ${albumId}`);
    if ((record.keyVersion ?? 1) !== keyVersion) {
      throw new UmbraClientError("CONFLICT", "The album's key changed while reading it; try again");
    }
    const key = await library.albumKey(albumId);
    keyRing.set(albumId, keyVersion, key);
    return { key, version: keyVersion };
  }

  private async grantFor(
    albumId: string,
    albumKey: Uint8Array,
    keyVersion: number,
    recipient: string,
    role: ShareRole,
    confirmed?: string,
  ): Promise<MemberGrant & { email: string }> {
    const { contacts, userId } = this.deps;
    // Verified against the pins before anything is sealed: another account or key throws KEY_CHANGED here.
    const contact = await contacts.get(recipient, { pin: confirmed === undefined });
    if (contact.userId === userId)
      throw new UmbraClientError("INVALID_INPUT", "You cannot share with yourself");
    if (confirmed !== undefined) {
      // The keys sealed to must be the ones whose safety number the user just confirmed, not a later answer's.
      if ((await this.numberWith(contact.keys)).digits !== confirmed)
        throw new KeyChangedError(contact.email, contact.userId);
      if (contact.firstContact) await contacts.pinContact(contact);
    }
    const context = { albumId, recipientUserId: contact.userId, senderUserId: userId, role, keyVersion };
    const sealed = await sealAlbumKey(contact.keys.hpkePublicKey, albumKey, context);
    const identity = await this.deps.identity();
    const grant = await signGrant(identity.signing.privateKey, {
      albumId,
      granteeUserId: contact.userId,
      role,
      keyVersion,
      sealedKeyDigest: sealedKeyDigest(sealed),
      grantedBy: userId,
      issuedAt: new Date().toISOString(),
    });
    return {
      userId: contact.userId,
      email: contact.email,
      role,
      keyVersion,
      sealedAlbumKey: toBase64Url(sealed),
      grant,
    };
  }

  /**
   * Who `email` is before sharing with them: the account the server names, checked against this device's pins
   * (KEY_CHANGED when it differs), without pinning. `firstContact` means the user should compare the safety
   * number before confirming: the CLI asks, the web app shows a dialog.
   */
  async prepareShare(
    email: string,
  ): Promise<{ userId: string; email: string; firstContact: boolean; safetyNumber: SafetyNumber }> {
    const contact = await this.deps.contacts.get(email, { pin: false });
    if (contact.userId === this.deps.userId)
      throw new UmbraClientError("INVALID_INPUT", "You cannot share with yourself");
    const number = await this.numberWith(contact.keys);
    return {
      userId: contact.userId,
      email: contact.email,
      firstContact: contact.firstContact,
      safetyNumber: number,
    };
  }

  private async numberWith(keys: PublicKeys): Promise<SafetyNumber> {
    const identity = await this.deps.identity();
    const ours = {
      userId: this.deps.userId,
      hpkePublicKey: identity.hpke.publicKey,
      signingPublicKey: identity.signing.publicKey,
    };
    return safetyNumber(ours, keys);
  }

  /**
   * Shares an album the caller owns with another user (by email), as viewer or contributor. `confirmed` is the
   * safety number the user compared after `prepareShare`: the album key is then sealed only to those keys.
   */
  async share(
    albumId: string,
    email: string,
    role: ShareRole = "viewer",
    options: { confirmed?: string } = {},
  ): Promise<MemberEntry> {
    const album = (await this.deps.library.sync()).albums[albumId];
    if (!album) throw new UmbraClientError("NOT_FOUND", `You own no album ${albumId}`);
    if (album.kind === "library") throw new UmbraClientError("INVALID_INPUT", "The library cannot be shared");
    const { key, version } = await this.ownAlbumKey(albumId);
    const member = await this.grantFor(albumId, key, version, email, role, options.confirmed);
    const { userId: _, email: name, ...body } = member;
    await this.deps.http.json(`/api/albums/${albumId}/members/${member.userId}`, MembersResponse, {
      method: "PUT",
      body,
    });
    // Members only trust signed placements: ours are signed now (files added later as they are added).
    await this.deps.events.emit("shared", albumId);
    await this.deps.events.emit("membersChanged", albumId);
    return { userId: member.userId, email: name, role };
  }

  /**
   * Members with a grant the owner really signed for the album's current key version (others are dropped: the
   * server may neither add members nor replay a removed member's old grant), named from this device's pins.
   */
  async members(albumId: string): Promise<{ ownerId: string; ownerEmail: string; members: MemberEntry[] }> {
    const access = await this.access(albumId);
    const answer = await this.deps.http.json(`/api/albums/${albumId}/members`, MembersResponse);
    if (answer.albumId !== albumId || answer.ownerId !== access.ownerId) {
      throw new UmbraClientError("TAMPERED", "The server's member list names another album or owner");
    }
    const ownerKey = answer.members.length > 0 ? await this.signingKeyOf(access.ownerId) : new Uint8Array();
    const members: MemberEntry[] = [];
    for (const m of answer.members) {
      const valid =
        m.keyVersion === access.keyVersion &&
        (await this.grantIsValid(
          m.grant,
          ownerKey,
          albumId,
          m.userId,
          m.role,
          fromBase64Url(m.sealedAlbumKey),
        )) &&
        m.grant.keyVersion === access.keyVersion &&
        m.grant.grantedBy === access.ownerId;
      if (!valid) continue;
      members.push({ userId: m.userId, email: await this.nameOf(m.userId), role: m.role, grant: m.grant });
    }
    return { ownerId: access.ownerId, ownerEmail: await this.nameOf(access.ownerId), members };
  }

  /** Contributors with their pinned signing keys and owner-signed grants (for link rosters). */
  async contributors(
    albumId: string,
  ): Promise<{ userId: string; signingPublicKey: string; grant: AlbumGrantWire }[]> {
    const out = [];
    for (const m of (await this.members(albumId)).members) {
      if (m.role !== "contributor" || !m.grant) continue;
      out.push({
        userId: m.userId,
        signingPublicKey: toBase64Url(await this.signingKeyOf(m.userId)),
        grant: m.grant,
      });
    }
    return out;
  }

  /** How this device knows a person: ourselves, or the email of their pin (pinned now on first sight). */
  async nameOf(userId: string): Promise<string> {
    if (userId === this.deps.userId) return this.deps.ownEmail();
    return (await this.deps.contacts.knownEmail(userId)) ?? (await this.deps.contacts.get(userId)).email;
  }

  private async grantIsValid(
    grant: AlbumGrantWire,
    ownerSigningKey: Uint8Array,
    albumId: string,
    granteeUserId: string,
    role: ShareRole,
    sealed: Uint8Array,
  ): Promise<boolean> {
    try {
      const verified = await verifyGrant(grant, ownerSigningKey, sealed);
      return (
        verified.albumId === albumId && verified.granteeUserId === granteeUserId && verified.role === role
      );
    } catch {
      return false;
    }
  }

  /** A user's signing key: ours from our identity, anyone else's from the pinned contact. */
  async signingKeyOf(userId: string): Promise<Uint8Array> {
    if (userId === this.deps.userId) return (await this.deps.identity()).signing.publicKey;
    return (await this.deps.contacts.get(userId)).keys.signingPublicKey;
  }

  /**
   * Removes members and rotates the album key in one request: the new key is sealed to every remaining member,
   * the old key is chained under it, so files added from now on are out of the removed members' reach.
   */
  async removeMembers(albumId: string, who: string[]): Promise<void> {
    const { http, library, masterKey, userId, keyRing } = this.deps;
    // Only members the owner signed for, identified by user id and named from pins: never the server's list.
    const { members: current } = await this.members(albumId);
    const remove = who.map((w) => {
      const m = current.find((x) => x.userId === w || x.email === w.trim().toLowerCase());
      if (!m) throw new UmbraClientError("NOT_FOUND", `${w} is not a member of this album`);
      return m.userId;
    });
    // Rows the server lists without a grant we verified (injected, or a removed member's replay) go as well.
    const listed = await http.json(`/api/albums/${albumId}/members`, MembersResponse);
    for (const row of listed.members)
      if (!current.some((m) => m.userId === row.userId) && !remove.includes(row.userId))
        remove.push(row.userId);
    const { key: oldKey, version } = await this.ownAlbumKey(albumId);
    const newKey = generateAlbumKey();
    const next = version + 1;
    const name = (await library.albums()).find((a) => a.id === albumId)?.name ?? "";
    const members: MemberGrant[] = [];
    for (const m of current.filter((x) => !remove.includes(x.userId))) {
      const { email: _, ...grant } = await this.grantFor(albumId, newKey, next, m.userId, m.role);
      members.push(grant);
    }
    await http.json(`/api/albums/${albumId}/rotate`, MembersResponse, {
      method: "POST",
      body: {
        remove,
        keyVersion: next,
        wrappedAlbumKey: await wrapAlbumKeyFor(masterKey, userId, albumId, newKey, next),
        encryptedName: await encryptAlbumNameFor(newKey, albumId, name),
        previousKey: toBase64Url(await wrapPreviousAlbumKey(newKey, oldKey, albumId, version)),
        members,
      },
    });
    keyRing.set(albumId, next, newKey);
    await library.seen.albumKeyVersion(albumId, next);
    await library.seen.markBoundWrap(albumId);
    library.checkpoint.record(checkpointChanges.albumSet(albumId, next));
    await library.checkpoint.save();
    await library.sync();
    await this.deps.events.emit("membersChanged", albumId);
  }

  /** Leaves an album someone shared with us. */
  async leave(albumId: string): Promise<void> {
    await this.deps.http.json(`/api/albums/${albumId}/members/${this.deps.userId}`, null, {
      method: "DELETE",
    });
  }

  /**
   * Albums shared with us whose grant the owner signed (checked against the owner's pinned key) and whose
   * sealed key opens; anything else is reported in `rejected`.
   */
  async sharedWithMe(): Promise<{ albums: SharedAlbumEntry[]; rejected: RejectedRecord[] }> {
    const { albums } = await this.deps.http.json("/api/shared", SharedAlbumsResponse);
    const out: SharedAlbumEntry[] = [];
    const rejected: RejectedRecord[] = [];
    for (const album of albums) {
      try {
        const key = await openMembership(this.deps, album, (userId) => this.signingKeyOf(userId));
        const name = await decryptAlbumNameFor(key, album.id, album.encryptedName);
        out.push({
          id: album.id,
          name,
          ownerId: album.ownerId,
          ownerEmail: await this.nameOf(album.ownerId),
          role: album.membership.role,
          keyVersion: album.membership.keyVersion,
        });
      } catch (error) {
        rejected.push({ id: album.id, reason: (error as Error).message });
      }
    }
    return { albums: out, rejected };
  }

  /** Our role in an album and its newest key we hold (owner: our wrap; member: the sealed grant). */
  async access(albumId: string): Promise<{ role: AlbumRole; ownerId: string; keyVersion: number }> {
    const own = (this.deps.library.state ?? (await this.deps.library.sync())).albums[albumId];
    if (own) {
      // Checked (version floor, bound wrap) and kept in the ring, where signing and listing look keys up.
      const key = await this.deps.library.albumKey(albumId);
      this.deps.keyRing.set(albumId, own.keyVersion ?? 1, key);
      return { role: "owner", ownerId: this.deps.userId, keyVersion: own.keyVersion ?? 1 };
    }
    const { albums } = await this.deps.http.json("/api/shared", SharedAlbumsResponse);
    const album = albums.find((a) => a.id === albumId);
    if (!album) throw new UmbraClientError("NOT_FOUND", `No album ${albumId} is shared with you`);
    await openMembership(this.deps, album, (userId) => this.signingKeyOf(userId));
    return { role: album.membership.role, ownerId: album.ownerId, keyVersion: album.membership.keyVersion };
  }

  /** Our own public keys, from our private keys (not from what the server publishes). */
  async ownKeys(): Promise<{ userId: string; hpkePublicKey: Uint8Array; signingPublicKey: Uint8Array }> {
    const identity = await this.deps.identity();
    return {
      userId: this.deps.userId,
      hpkePublicKey: identity.hpke.publicKey,
      signingPublicKey: identity.signing.publicKey,
    };
  }

  /** The safety number of us and another user, to compare in person (digits and a QR payload). */
  async safetyNumber(
    emailOrUserId: string,
    options: {
      /** The number for the keys the server presents now, even if they differ from the pin. */ unpinned?: boolean;
    } = {},
  ): Promise<SafetyNumber & { email: string; userId: string }> {
    const contact = options.unpinned
      ? await this.deps.contacts.current(emailOrUserId)
      : await this.deps.contacts.get(emailOrUserId);
    const ours = await this.ownKeys();
    if (equalBytes(ours.signingPublicKey, contact.keys.signingPublicKey)) {
      throw new UmbraClientError("INVALID_INPUT", "That is your own account");
    }
    return { ...safetyNumber(ours, contact.keys), email: contact.email, userId: contact.userId };
  }
}
