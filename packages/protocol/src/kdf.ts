import { z } from "zod";
import { base64Url } from "./ids.js";

export const KdfParams = z.object({
  algorithm: z.literal("PBKDF2-SHA256"),
  iterations: z.number().int().min(100_000).max(100_000_000),
  salt: base64Url(128, 16),
});
export type KdfParams = z.infer<typeof KdfParams>;
