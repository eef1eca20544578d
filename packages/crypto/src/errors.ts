/** Stable, machine-readable error codes. Never renumber or rename: clients and scripts match on them. */
export type CryptoErrorCode =
  | "WRONG_PASSWORD"
  | "BAD_RECOVERY_PHRASE"
  | "TAMPERED"
  | "TRUNCATED"
  | "UNSUPPORTED_VERSION"
  | "WEAK_KDF_PARAMS"
  | "INVALID_INPUT";

export class UmbraCryptoError extends Error {
  readonly code: CryptoErrorCode;
  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class WrongPasswordError extends UmbraCryptoError {
  constructor(message = "Wrong password", options?: { cause?: unknown }) {
    super("WRONG_PASSWORD", message, options);
  }
}

export class BadRecoveryPhraseError extends UmbraCryptoError {
  constructor(message = "The recovery phrase is not valid", options?: { cause?: unknown }) {
    super("BAD_RECOVERY_PHRASE", message, options);
  }
}

export class TamperedError extends UmbraCryptoError {
  constructor(
    message = "Data failed authentication: it was modified or does not belong here",
    options?: { cause?: unknown },
  ) {
    super("TAMPERED", message, options);
  }
}

export class TruncatedError extends UmbraCryptoError {
  constructor(message = "Data ends before its authenticated end", options?: { cause?: unknown }) {
    super("TRUNCATED", message, options);
  }
}

export class UnsupportedVersionError extends UmbraCryptoError {
  constructor(message = "Unsupported format version", options?: { cause?: unknown }) {
    super("UNSUPPORTED_VERSION", message, options);
  }
}

export class WeakKdfParamsError extends UmbraCryptoError {
  constructor(
    message = "Key derivation parameters are below the required minimum",
    options?: { cause?: unknown },
  ) {
    super("WEAK_KDF_PARAMS", message, options);
  }
}

export class InvalidInputError extends UmbraCryptoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INVALID_INPUT", message, options);
  }
}
