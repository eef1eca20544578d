// The format facts other packages must agree on, each defined once (SPEC §1, §3, §7). A leaf module: no imports,
// only constants, so `@umbra/protocol` and the server can read it (`@umbra/crypto/formats`) without pulling in
// any key-handling code. Crypto owns these facts because it binds or enforces them; everyone else imports them.

// ── Password KDF (SPEC §3) ──────────────────────────────────────────────────────────────────────────────────────

export const KDF_ALGORITHM = "PBKDF2-SHA256";
/** The security minimum a client enforces (`assertKdfParams` → WEAK_KDF_PARAMS below it). */
export const MIN_KDF_ITERATIONS = 600_000;
/** Upper bound so a hostile server cannot make a client spin for hours (INVALID_INPUT above it). */
export const MAX_KDF_ITERATIONS = 10_000_000;
/** Salt length of new parameters and the minimum a client accepts, in bytes. */
export const KDF_SALT_LENGTH = 32;
export const MAX_KDF_SALT_LENGTH = 1024;

/**
 * The wire bounds `@umbra/protocol`'s `KdfParams` schema checks: deliberately wider than the security bounds above,
 * so that parameters of the right shape but below the minimum reach `assertKdfParams` and are reported as what
 * they are, a downgrade (WEAK_KDF_PARAMS), not as a malformed answer. The security minimum is enforced only there.
 */
export const WIRE_MIN_KDF_ITERATIONS = 100_000;
export const WIRE_MAX_KDF_ITERATIONS = 100_000_000;
export const WIRE_MIN_KDF_SALT_LENGTH = 12;
export const WIRE_MAX_KDF_SALT_LENGTH = 96;

// ── Identifiers (SPEC §1, §18) ──────────────────────────────────────────────────────────────────────────────────

/** Kind letters: `u` user, `a` album, `f` file (random, client-generated, §1); `l` link (derived from its secret, §18). */
export const ID_KINDS = { user: "u", album: "a", file: "f", link: "l" } as const;
/** An id is its kind letter, `_`, then 16 bytes as 22 characters of unpadded base64url. */
export const ID_RANDOM_BYTES = 16;
const ID_BODY = "[A-Za-z0-9_-]{22}";
/** The shape of a random id (kind letter in group 1, body in group 2); `isId` also checks the body is canonical. */
export const ID_PATTERN = new RegExp(`^([uaf])_(${ID_BODY})$`);
export const USER_ID_PATTERN = new RegExp(`^u_${ID_BODY}$`);
export const ALBUM_ID_PATTERN = new RegExp(`^a_${ID_BODY}$`);
export const FILE_ID_PATTERN = new RegExp(`^f_${ID_BODY}$`);
export const LINK_ID_PATTERN = new RegExp(`^l_${ID_BODY}$`);

// ── File metadata (SPEC §7) ─────────────────────────────────────────────────────────────────────────────────────

/** Longest file name, in UTF-16 code units (JavaScript string length). */
export const METADATA_NAME_MAX_LENGTH = 1024;
/** Longest MIME type, in UTF-16 code units. */
export const METADATA_MIME_MAX_LENGTH = 255;
/** Longest description (caption) a user may write, in UTF-16 code units. */
export const METADATA_DESCRIPTION_MAX_LENGTH = 5000;
/** Clockwise display rotations a file may carry, in degrees (applied on display and export, never re-encoded). */
export const METADATA_ROTATIONS = [0, 90, 180, 270] as const;
export const GPS_LATITUDE_RANGE = [-90, 90] as const;
export const GPS_LONGITUDE_RANGE = [-180, 180] as const;
