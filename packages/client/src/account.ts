import * as opaque from "@serenity-kit/opaque";
import { BadRecoveryPhraseError, WrongPasswordError } from "@umbra/crypto";
import {
  type KeyBundle,
  LoginFinishResponse,
  LoginStartResponse,
  RecoverStartResponse,
  RegistrationResponse,
  SignupFinishResponse,
} from "@umbra/protocol";
import { ApiError } from "./errors.js";
import type { HttpTransport } from "./http.js";
import { newId } from "./ids.js";
import {
  type AccountSecrets,
  createAccountSecrets,
  createLibraryAlbum,
  recoveryAuthKeyFromPhrase,
  rewrapMasterKeyForPassword,
  unlockMasterKeyWithPassword,
  unlockMasterKeyWithRecovery,
  validateKeyBundle,
} from "./keys.js";

export interface Session {
  token: string;
  userId: string;
  email: string;
  expiresAt: string;
  keyBundle: KeyBundle;
}

/** OPAQUE registration: the password never leaves this process; the server gets a registration record. */
async function registerPassword(
  password: string,
  start: (registrationRequest: string) => Promise<{ registrationResponse: string }>,
): Promise<string> {
  await opaque.ready;
  const { clientRegistrationState, registrationRequest } = opaque.client.startRegistration({ password });
  const { registrationResponse } = await start(registrationRequest);
  const { registrationRecord } = opaque.client.finishRegistration({
    clientRegistrationState,
    registrationResponse,
    password,
  });
  return registrationRecord;
}

export async function signup(
  http: HttpTransport,
  email: string,
  password: string,
): Promise<{ userId: string; recoveryPhrase: string; secrets: AccountSecrets }> {
  const userId = newId("u");
  const secrets = await createAccountSecrets(userId, password);
  const library = await createLibraryAlbum(userId, secrets.masterKey, newId("a"));
  const registrationRecord = await registerPassword(password, (registrationRequest) =>
    http.json("/api/auth/signup/start", RegistrationResponse, {
      body: { email, registrationRequest },
      anonymous: true,
    }),
  );
  await http.json("/api/auth/signup/finish", SignupFinishResponse, {
    anonymous: true,
    body: {
      email,
      registrationRecord,
      keyBundle: secrets.keyBundle,
      recoveryVerifier: secrets.recoveryVerifier,
      libraryAlbum: library.body,
    },
  });
  return { userId, recoveryPhrase: secrets.recoveryPhrase, secrets };
}

/** OPAQUE login; then the key bundle is validated and the master key unwrapped with the password. */
export async function login(
  http: HttpTransport,
  email: string,
  password: string,
  deviceName: string,
  /** Called with the session's token as soon as the server gives it, before the master key is unwrapped. */
  onToken?: (token: string) => void,
): Promise<{ session: Session; masterKey: Uint8Array }> {
  await opaque.ready;
  const { clientLoginState, startLoginRequest } = opaque.client.startLogin({ password });
  let start: LoginStartResponse;
  try {
    start = await http.json("/api/auth/login/start", LoginStartResponse, {
      body: { email, startLoginRequest },
      anonymous: true,
    });
  } catch (error) {
    throw mapCredentialError(error);
  }
  const finished = opaque.client.finishLogin({
    clientLoginState,
    loginResponse: start.loginResponse,
    password,
  });
  // OPAQUE fails here, on the client, when the password is wrong (or the account does not exist).
  if (!finished) throw new WrongPasswordError("Wrong email or password");
  let answer: LoginFinishResponse;
  try {
    answer = await http.json("/api/auth/login/finish", LoginFinishResponse, {
      body: { loginId: start.loginId, finishLoginRequest: finished.finishLoginRequest, deviceName },
      anonymous: true,
    });
  } catch (error) {
    throw mapCredentialError(error);
  }
  validateKeyBundle(answer.keyBundle, answer.userId);
  onToken?.(answer.token);
  const masterKey = await unlockMasterKeyWithPassword(answer.keyBundle, password);
  return {
    session: {
      token: answer.token,
      userId: answer.userId,
      email,
      expiresAt: answer.expiresAt,
      keyBundle: answer.keyBundle,
    },
    masterKey,
  };
}

function mapCredentialError(error: unknown): unknown {
  if (error instanceof ApiError && (error.status === 401 || error.code === "INVALID_CREDENTIALS")) {
    return new WrongPasswordError("Wrong email or password");
  }
  return error;
}

export async function changePassword(
  http: HttpTransport,
  userId: string,
  masterKey: Uint8Array,
  newPassword: string,
): Promise<void> {
  const wrapped = await rewrapMasterKeyForPassword(userId, masterKey, newPassword);
  const registrationRecord = await registerPassword(newPassword, (registrationRequest) =>
    http.json("/api/account/password/start", RegistrationResponse, { body: { registrationRequest } }),
  );
  await http.json("/api/account/password/finish", null, {
    body: {
      registrationRecord,
      passwordWrappedMasterKey: wrapped.passwordWrappedMasterKey,
      kdf: wrapped.kdf,
    },
  });
}

/**
 * Account recovery: the phrase yields an auth key (proves possession to the server) and a wrapping
 * key (unwraps the master key locally); then a new password is registered and every session revoked.
 */
export async function recover(
  http: HttpTransport,
  email: string,
  phrase: string,
  newPassword: string,
): Promise<void> {
  const recoveryAuthKey = await recoveryAuthKeyFromPhrase(phrase);
  await opaque.ready;
  const { clientRegistrationState, registrationRequest } = opaque.client.startRegistration({
    password: newPassword,
  });
  let start: RecoverStartResponse;
  try {
    start = await http.json("/api/auth/recover/start", RecoverStartResponse, {
      body: { email, recoveryAuthKey, registrationRequest },
      anonymous: true,
    });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      throw new BadRecoveryPhraseError("The recovery phrase does not match this account");
    }
    throw error;
  }
  const masterKey = await unlockMasterKeyWithRecovery(start.userId, start.recoveryWrappedMasterKey, phrase);
  const { registrationRecord } = opaque.client.finishRegistration({
    clientRegistrationState,
    registrationResponse: start.registrationResponse,
    password: newPassword,
  });
  const wrapped = await rewrapMasterKeyForPassword(start.userId, masterKey, newPassword);
  masterKey.fill(0);
  await http.json("/api/auth/recover/finish", null, {
    anonymous: true,
    body: {
      recoveryId: start.recoveryId,
      registrationRecord,
      passwordWrappedMasterKey: wrapped.passwordWrappedMasterKey,
      kdf: wrapped.kdf,
    },
  });
}
