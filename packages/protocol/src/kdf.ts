import {
  KDF_ALGORITHM,
  WIRE_MAX_KDF_ITERATIONS,
  WIRE_MAX_KDF_SALT_LENGTH,
  WIRE_MIN_KDF_ITERATIONS,
  WIRE_MIN_KDF_SALT_LENGTH,
} from "@umbra/crypto/formats";
import { z } from "zod";
import { base64Url, base64UrlLength } from "./ids.js";

/**
 * The account's password KDF parameters (SPEC §3). The bounds are `@umbra/crypto/formats`' wire bounds, wider than
 * the security minimum on purpose: a client's `assertKdfParams` refuses weaker ones as WEAK_KDF_PARAMS.
 */
export const KdfParams = z.object({
  algorithm: z.literal(KDF_ALGORITHM),
  iterations: z.number().int().min(WIRE_MIN_KDF_ITERATIONS).max(WIRE_MAX_KDF_ITERATIONS),
  salt: base64Url(base64UrlLength(WIRE_MAX_KDF_SALT_LENGTH), base64UrlLength(WIRE_MIN_KDF_SALT_LENGTH)),
});
export type KdfParams = z.infer<typeof KdfParams>;

/**
 * A password link's KDF parameters (SPEC §18): format v2, Argon2id, for new links; or v1, PBKDF2 (`KdfParams`),
 * as links made before v2 store them. Structural bounds only, looser than the client's: the server stores them
 * unread, and a visitor's client checks them (WEAK_KDF_PARAMS, INVALID_INPUT, UNSUPPORTED_VERSION) before deriving.
 */
export const Argon2idLinkKdfParams = z.object({
  v: z.number().int().min(1).max(1000),
  algorithm: z.literal("argon2id"),
  memoryKiB: z
    .number()
    .int()
    .min(1)
    .max(16 * 1024 * 1024),
  iterations: z.number().int().min(1).max(1000),
  parallelism: z.number().int().min(1).max(255),
  salt: base64Url(128, 1),
});
export type Argon2idLinkKdfParams = z.infer<typeof Argon2idLinkKdfParams>;
export const LinkKdfParams = z.discriminatedUnion("algorithm", [KdfParams, Argon2idLinkKdfParams]);
export type LinkKdfParams = z.infer<typeof LinkKdfParams>;
