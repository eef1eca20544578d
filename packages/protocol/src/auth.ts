import { z } from "zod";
import { AlbumId, base64Url, SessionId, UserId } from "./ids.js";
import { KdfParams } from "./kdf.js";
import { PublicKeyBundleWire, WrappedPrivateKeysWire } from "./sharing.js";

/** OPAQUE messages from @serenity-kit/opaque are base64url strings of a few hundred bytes. */
const OpaqueMessage = base64Url(4096);
/** A wrapped key or small ciphertext. */
const WrappedKey = base64Url(1024);

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "expected an email address" }));

export const KeyBundle = z.object({
  version: z.literal(1),
  userId: UserId,
  kdf: KdfParams,
  passwordWrappedMasterKey: WrappedKey,
  recoveryWrappedMasterKey: WrappedKey,
  /** Sharing identity (SPEC §17.1–17.2); null until the client first publishes one. */
  publicKeys: PublicKeyBundleWire.nullable(),
  wrappedPrivateKeys: WrappedPrivateKeysWire.nullable(),
  /** The recovery phrase's entropy wrapped by the master key (SPEC §5), so Settings can show it again. */
  recoveryWrappedPhrase: WrappedKey.nullable().optional(),
});
export type KeyBundle = z.infer<typeof KeyBundle>;

export const NewAlbumBody = z.object({
  id: AlbumId,
  encryptedName: base64Url(4096),
  wrappedAlbumKey: WrappedKey,
});
export type NewAlbumBody = z.infer<typeof NewAlbumBody>;

export const SignupStartBody = z.object({ email: Email, registrationRequest: OpaqueMessage });
export type SignupStartBody = z.infer<typeof SignupStartBody>;
export const RegistrationResponse = z.object({ registrationResponse: OpaqueMessage });
export type RegistrationResponse = z.infer<typeof RegistrationResponse>;

export const SignupFinishBody = z.object({
  email: Email,
  registrationRecord: OpaqueMessage,
  keyBundle: KeyBundle,
  /** SHA-256 of the client's recovery auth key (32 bytes). */
  recoveryVerifier: base64Url(43, 43),
  libraryAlbum: NewAlbumBody,
});
export type SignupFinishBody = z.infer<typeof SignupFinishBody>;
export const SignupFinishResponse = z.object({ userId: UserId });
export type SignupFinishResponse = z.infer<typeof SignupFinishResponse>;

export const LoginStartBody = z.object({ email: Email, startLoginRequest: OpaqueMessage });
export type LoginStartBody = z.infer<typeof LoginStartBody>;
export const LoginStartResponse = z.object({ loginId: base64Url(64), loginResponse: OpaqueMessage });
export type LoginStartResponse = z.infer<typeof LoginStartResponse>;

export const LoginFinishBody = z.object({
  loginId: base64Url(64),
  finishLoginRequest: OpaqueMessage,
  deviceName: z.string().trim().min(1).max(100),
});
export type LoginFinishBody = z.infer<typeof LoginFinishBody>;
export const LoginFinishResponse = z.object({
  token: z.string(),
  userId: UserId,
  expiresAt: z.string(),
  keyBundle: KeyBundle,
});
export type LoginFinishResponse = z.infer<typeof LoginFinishResponse>;

export const RecoverStartBody = z.object({
  email: Email,
  recoveryAuthKey: base64Url(128, 16),
  registrationRequest: OpaqueMessage,
});
export type RecoverStartBody = z.infer<typeof RecoverStartBody>;
export const RecoverStartResponse = z.object({
  recoveryId: base64Url(64),
  userId: UserId,
  recoveryWrappedMasterKey: WrappedKey,
  registrationResponse: OpaqueMessage,
});
export type RecoverStartResponse = z.infer<typeof RecoverStartResponse>;

export const RecoverFinishBody = z.object({
  recoveryId: base64Url(64),
  registrationRecord: OpaqueMessage,
  passwordWrappedMasterKey: WrappedKey,
  kdf: KdfParams,
});
export type RecoverFinishBody = z.infer<typeof RecoverFinishBody>;

export const PasswordStartBody = z.object({ registrationRequest: OpaqueMessage });
export type PasswordStartBody = z.infer<typeof PasswordStartBody>;
export const PasswordFinishBody = z.object({
  registrationRecord: OpaqueMessage,
  passwordWrappedMasterKey: WrappedKey,
  kdf: KdfParams,
});
export type PasswordFinishBody = z.infer<typeof PasswordFinishBody>;

export const AccountResponse = z.object({
  userId: UserId,
  email: z.string(),
  usedBytes: z.number().int(),
  quotaBytes: z.number().int(),
  createdAt: z.string(),
});
export type AccountResponse = z.infer<typeof AccountResponse>;

export const SessionRecord = z.object({
  id: SessionId,
  deviceName: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});
export type SessionRecord = z.infer<typeof SessionRecord>;
export const SessionsResponse = z.object({ sessions: z.array(SessionRecord) });
export type SessionsResponse = z.infer<typeof SessionsResponse>;
export const RevokeOthersResponse = z.object({ revoked: z.number().int() });
export type RevokeOthersResponse = z.infer<typeof RevokeOthersResponse>;
