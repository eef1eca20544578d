import { createHash } from "node:crypto";
import type { UmbraClient } from "@umbra/client";
import { CliError } from "../cli-error.js";

/** A digest as 12 groups of 5 decimal digits, for reading aloud. */
function digitsOf(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 12; i++) {
    let chunk = 0;
    for (let j = 0; j < 5; j++) chunk = chunk * 256 + bytes[(i * 5 + j) % bytes.length]!;
    groups.push(String(chunk % 100000).padStart(5, "0"));
  }
  return groups.join(" ");
}

/** Our own public keys as 60 digits (SHA-256 of both keys), to read out when someone asks. */
export async function fingerprintOfKeys(
  client: UmbraClient,
): Promise<{ email: string; userId: string; digits: string }> {
  const session = client.session;
  if (!session) throw new CliError("UNAUTHORIZED", "Not logged in");
  const keys = await client.sharing.ownKeys();
  const digest = createHash("sha256").update(keys.signingPublicKey).update(keys.hpkePublicKey).digest();
  return { email: session.email, userId: session.userId, digits: digitsOf(new Uint8Array(digest)) };
}
