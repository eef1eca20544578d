import { Aes256Gcm, CipherSuite, HkdfSha256 } from "@hpke/core";
import { XWing } from "@hpke/hybridkem-x-wing";
import { InvalidInputError, TamperedError } from "../errors.js";
import type { RandomSource } from "../random.js";

export const X_WING_SEED_LENGTH = 32;
export const X_WING_PUBLIC_KEY_LENGTH = 1216;
export const X_WING_ENC_LENGTH = 1120;
const EKM_LENGTH = 64;

// One suite for all of v1: X-Wing (ML-KEM-768 + X25519) KEM, HKDF-SHA256, AES-256-GCM, HPKE base mode.
const kem = new XWing();
const suite = new CipherSuite({ kem, kdf: new HkdfSha256(), aead: new Aes256Gcm() });

function assertBytes(value: unknown, length: number, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new InvalidInputError(`${what} must be a ${length}-byte Uint8Array`);
  }
}

/** The X-Wing public key (1216 bytes) of a 32-byte seed, the form in which Umbra stores HPKE private keys. */
export async function xWingPublicKey(seed: Uint8Array): Promise<Uint8Array> {
  assertBytes(seed, X_WING_SEED_LENGTH, "The X-Wing private key");
  const pair = await kem.generateKeyPairDerand(seed);
  return new Uint8Array(await kem.serializePublicKey(pair.publicKey));
}

/**
 * HPKE base-mode single-shot seal. `random` is only for test vectors: it supplies the 64 bytes of encapsulation
 * randomness; production passes undefined and the library draws its own.
 */
export async function hpkeSeal(
  random: RandomSource | undefined,
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  info: Uint8Array,
  associatedData: Uint8Array,
): Promise<{ enc: Uint8Array; ciphertext: Uint8Array }> {
  assertBytes(recipientPublicKey, X_WING_PUBLIC_KEY_LENGTH, "The recipient's X-Wing public key");
  let publicKey: CryptoKey;
  try {
    publicKey = await kem.deserializePublicKey(recipientPublicKey);
  } catch (error) {
    throw new InvalidInputError("The recipient's X-Wing public key is not valid", { cause: error });
  }
  const ekm = random?.(EKM_LENGTH);
  if (ekm !== undefined && ekm.length !== EKM_LENGTH) {
    throw new InvalidInputError("The random source returned wrong-sized encapsulation randomness");
  }
  const sealed = await suite.seal(
    { recipientPublicKey: publicKey, info, ...(ekm ? { ekm } : {}) },
    plaintext,
    associatedData,
  );
  return { enc: new Uint8Array(sealed.enc), ciphertext: new Uint8Array(sealed.ct) };
}

/** HPKE base-mode single-shot open; any failure (wrong key, info, associated data, modified bytes) is TAMPERED. */
export async function hpkeOpen(
  recipientSeed: Uint8Array,
  enc: Uint8Array,
  ciphertext: Uint8Array,
  info: Uint8Array,
  associatedData: Uint8Array,
): Promise<Uint8Array> {
  assertBytes(recipientSeed, X_WING_SEED_LENGTH, "The X-Wing private key");
  const privateKey = await kem.deserializePrivateKey(recipientSeed);
  try {
    return new Uint8Array(
      await suite.open({ recipientKey: privateKey, enc, info }, ciphertext, associatedData),
    );
  } catch (error) {
    throw new TamperedError(undefined, { cause: error });
  }
}
