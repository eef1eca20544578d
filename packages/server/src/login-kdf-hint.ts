import { createHmac } from "node:crypto";
import {
  KDF_ALGORITHM,
  KDF_SALT_LENGTH,
  type KdfParams,
  type KeyBundle,
  MIN_KDF_ITERATIONS,
} from "@umbra/protocol";

/**
 * The password KDF parameters `login/start` announces (SPEC §3.1) so the client's PBKDF2 runs while OPAQUE's
 * does. For an unknown email, parameters shaped like an account's, with a salt keyed by the server's OPAQUE
 * setup and the email: the same on every ask, so the answer tells no more than OPAQUE's fake response does.
 */
export function loginKdfHint(bundle: KeyBundle | undefined, email: string, serverSecret: string): KdfParams {
  if (bundle) return bundle.kdf;
  const salt = createHmac("sha256", serverSecret)
    .update(`umbra login kdf hint v1\0${email}`)
    .digest()
    .subarray(0, KDF_SALT_LENGTH);
  return { algorithm: KDF_ALGORITHM, iterations: MIN_KDF_ITERATIONS, salt: salt.toString("base64url") };
}
