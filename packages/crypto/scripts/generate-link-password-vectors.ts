/**
 * Writes test-vectors/sharing/link-password.json: link password format v2 (Argon2id, SPEC §18). Run from the
 * repository root: `npx tsx packages/crypto/scripts/generate-link-password-vectors.ts`.
 * Deterministic: the link secret, the shared key, the Argon2id salt and the IV come from a seeded SHA-256
 * counter-mode generator and are recorded in order as `random`. The parameters are the real ones
 * (m = 64 MiB, t = 3, p = 1): the format refuses anything smaller, so there is no cheaper valid vector.
 * Format v1 (PBKDF2) links keep their vectors in sharing.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeAssociatedData } from "../src/associated-data.js";
import { concatBytes, toBase64Url, toHex, utf8Encode } from "../src/bytes.js";
import type { UmbraCryptoError } from "../src/errors.js";
import { hkdfSha256 } from "../src/hkdf.js";
import { newKdfParamsWith } from "../src/kdf.js";
import {
  deriveLinkPasswordKey,
  LINK_PASSWORD_VERSION,
  type LinkKdfParams,
  newLinkKdfParamsWith,
} from "../src/sharing/link-password-kdf.js";
import {
  deriveLinkKeys,
  generateLinkSecretWith,
  LINK_PASSWORD_KEY_LABEL,
  type LinkTarget,
  linkKeyAssociatedData,
  unwrapKeyForLink,
  wrapKeyForLinkWith,
} from "../src/sharing/public-link.js";
import { recorder, seededRandom } from "../src/vector-randomness.js";

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "test-vectors", "sharing");
const GENERATOR = "packages/crypto/scripts/generate-link-password-vectors.ts";
const ALBUM = "a_AAAAAAAAAAAAAAAAAAAAAA";
/** Decomposed "ü" (u + U+0308) and the "ﬁ" ligature: NFKC turns them into "ü" and "fi" before UTF-8. */
const PASSWORD = "Zu\u0308rich \uFB01eld trip 2026";

interface Negative {
  description: string;
  operation: string;
  input: Record<string, unknown>;
  error: string;
}

async function main(): Promise<void> {
  const rng = recorder(seededRandom("umbra/test-vectors/link-password/v2"));

  const secret = generateLinkSecretWith(rng.random);
  const secretRandom = rng.take();
  const { linkId, linkKey } = await deriveLinkKeys(secret);
  const sharedKey = rng.random(32);
  rng.take();
  const kdf = newLinkKdfParamsWith(rng.random);
  const target: LinkTarget = { purpose: "link-album-key", linkId, objectId: ALBUM };
  const password = { password: PASSWORD, kdf };
  const wrapped = await wrapKeyForLinkWith(rng.random, linkKey, sharedKey, target, password);
  const random = rng.take();
  const passwordKey = await deriveLinkPasswordKey(PASSWORD, kdf);
  const wrappingKey = await hkdfSha256(
    concatBytes(linkKey, passwordKey),
    new Uint8Array(0),
    encodeAssociatedData([LINK_PASSWORD_KEY_LABEL, linkId]),
  );
  const link = {
    secret,
    secretRandom,
    linkId,
    linkKey: toHex(linkKey),
    key: toHex(sharedKey),
    target,
    associatedData: toHex(linkKeyAssociatedData(target.purpose, linkId, ALBUM)),
    password,
    passwordUtf8Nfkc: toHex(utf8Encode(PASSWORD.normalize("NFKC"))),
    passwordKey: toHex(passwordKey),
    passwordKeyInfo: toHex(encodeAssociatedData([LINK_PASSWORD_KEY_LABEL, linkId])),
    wrappingKey: toHex(wrappingKey),
    random,
    wrapped: toHex(wrapped),
  };

  const negatives: Negative[] = [];
  const open = async (description: string, kdfParams: unknown, passwordText = PASSWORD) => {
    const input = {
      linkKey: link.linkKey,
      wrapped: link.wrapped,
      target,
      password: { password: passwordText, kdf: kdfParams },
    };
    try {
      await unwrapKeyForLink(linkKey, wrapped, target, {
        password: passwordText,
        kdf: kdfParams as LinkKdfParams,
      });
    } catch (error) {
      const code = (error as UmbraCryptoError).code ?? "NOT_AN_UMBRA_ERROR";
      negatives.push({ description, operation: "unwrapKeyForLink", input, error: code });
      return;
    }
    throw new Error(`Negative vector did not fail: ${description}`);
  };
  await open("wrong password", kdf, "Zurich field trip 2026");
  // The server swapped the stored Argon2id parameters for valid PBKDF2 ones (its own salt): nothing opens.
  const pbkdf2 = newKdfParamsWith(seededRandom("umbra/test-vectors/link-password/v2/pbkdf2"));
  await open("Argon2id link served with PBKDF2 parameters (format v1)", pbkdf2);
  await open("memory 1 KiB below the minimum", { ...kdf, memoryKiB: 65_535 });
  await open("OWASP's m = 19 MiB, t = 2 (below this format's minimum)", {
    ...kdf,
    memoryKiB: 19_456,
    iterations: 2,
  });
  await open("2 passes", { ...kdf, iterations: 2 });
  await open("12-byte salt", { ...kdf, salt: toBase64Url(new Uint8Array(12)) });
  await open("Argon2i instead of Argon2id", { ...kdf, algorithm: "argon2i" });
  await open("memory above the 1 GiB cap", { ...kdf, memoryKiB: 1024 * 1024 + 1 });
  await open("11 passes (above the cap)", { ...kdf, iterations: 11 });
  await open("4 lanes", { ...kdf, parallelism: 4 });
  await open("32-byte salt", { ...kdf, salt: toBase64Url(new Uint8Array(32)) });
  await open("fractional memory", { ...kdf, memoryKiB: 65_536.5 });
  await open("format version 3", { ...kdf, v: 3 });
  const { v: _v, ...unversioned } = kdf;
  await open("Argon2id parameters without a format version", unversioned);

  mkdirSync(OUT_DIR, { recursive: true });
  const file = {
    version: LINK_PASSWORD_VERSION,
    description:
      'Link password format v2 (SPEC §18): wrappingKey = HKDF-SHA256(linkKey ‖ Argon2id(UTF-8(NFKC(password)), salt, m, t, p = 1, 32 bytes), ∅, enc("umbra/v1/link/password-key", linkId)). Raw bytes hex; salts base64url.',
    generator: GENERATOR,
    links: [link],
    negative: negatives,
  };
  writeFileSync(join(OUT_DIR, "link-password.json"), `${JSON.stringify(file, null, 2)}\n`);
  console.log("wrote sharing/link-password.json");
}

await main();
