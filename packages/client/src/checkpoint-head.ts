import {
  fromBase64Url,
  openCheckpointHead,
  padmeLength,
  sealCheckpointHead,
  toBase64Url,
  utf8Decode,
  utf8Encode,
} from "@umbra/crypto";
import { CheckpointHeadResponse } from "@umbra/protocol";
import { z } from "zod";
import { InvalidResponseError } from "./errors.js";
import { apiErrorFrom, type HttpTransport } from "./http.js";

export const CHECKPOINT_HEAD_PATH = "/api/library/checkpoint/head";

/** The head's plaintext is at least this long (SPEC §15): its size says nothing of how many albums are hidden. */
export const CHECKPOINT_HEAD_BYTES = 4096;

/** What a view needs before its first screen, sealed beside the checkpoint under the same counter (SPEC §15). */
export const CheckpointHead = z.object({
  v: z.literal(1),
  hidden: z.array(z.string()),
});
export type CheckpointHead = z.infer<typeof CheckpointHead>;

/** The head of a checkpoint body, sealed for `counter`, as sent (base64url). */
export async function sealedHeadOf(
  key: Uint8Array,
  userId: string,
  counter: number,
  hidden: readonly string[],
): Promise<string> {
  const json = utf8Encode(JSON.stringify({ v: 1, hidden: [...hidden] } satisfies CheckpointHead));
  const padded = new Uint8Array(Math.max(CHECKPOINT_HEAD_BYTES, padmeLength(json.length))).fill(0x20);
  padded.set(json);
  return toBase64Url(await sealCheckpointHead(key, userId, counter, padded));
}

/** What a GET of the head found: no checkpoint, a checkpoint written without a head, or the head, opened. */
export type FetchedHead =
  | { kind: "none" }
  | { kind: "absent"; counter: number }
  | { kind: "head"; counter: number; head: CheckpointHead };

/**
 * Reads the stored checkpoint's head, from the answer to a GET already sent (`early`, at login) when there is
 * one. The head is authenticated for its user and counter; the caller checks the counter against the highest seen.
 */
export async function fetchCheckpointHead(
  http: HttpTransport,
  key: () => Promise<Uint8Array>,
  userId: string,
  early: Promise<Response> | undefined,
): Promise<FetchedHead> {
  const response = (await early?.catch(() => undefined)) ?? (await http.send(CHECKPOINT_HEAD_PATH));
  if (!response.ok) throw await apiErrorFrom(response);
  const parsed = CheckpointHeadResponse.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new InvalidResponseError("The library checkpoint's head answer is malformed");
  const { counter, head } = parsed.data;
  if (counter === 0) return { kind: "none" };
  if (head === null) return { kind: "absent", counter };
  const plain = await openCheckpointHead(await key(), userId, counter, fromBase64Url(head));
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(plain));
  } catch {
    throw new InvalidResponseError("The library checkpoint's head does not parse");
  }
  const opened = CheckpointHead.safeParse(json);
  if (!opened.success) throw new InvalidResponseError("The library checkpoint's head does not parse");
  return { kind: "head", counter, head: opened.data };
}
