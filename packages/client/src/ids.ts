import { generateId } from "@umbra/crypto";

/** Client-generated ids: prefix, "_", 16 random bytes in unpadded base64url (see ARCHITECTURE.md). */
export function newId(prefix: "u" | "a" | "f"): string {
  return generateId(prefix);
}
