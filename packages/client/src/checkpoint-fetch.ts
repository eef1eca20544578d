import { fromBase64Url, openCheckpoint, utf8Decode } from "@umbra/crypto";
import { CheckpointResponse } from "@umbra/protocol";
import { InvalidResponseError } from "./errors.js";
import { apiErrorFrom, type HttpTransport } from "./http.js";

/** What a GET of the checkpoint found: the one held is unchanged, there is none, or a newer one, opened. */
export type FetchedCheckpoint =
  | { kind: "unchanged" }
  | { kind: "none" }
  | { kind: "answered"; counter: number; open: () => Promise<unknown> };

/**
 * Asks for the newest checkpoint: a conditional GET when this device holds `heldCounter`. `open` authenticates the sealed body (SPEC §15) and parses
 * its JSON, left to the caller so that one already held under that counter is not opened twice.
 */
export async function fetchCheckpoint(
  http: HttpTransport,
  key: () => Promise<Uint8Array>,
  userId: string,
  heldCounter: number | undefined,
): Promise<FetchedCheckpoint> {
  const held = heldCounter !== undefined;
  performance.mark("umbra-checkpoint-asked");
  const response = await http.send("/api/library/checkpoint", {
    headers: held ? { "if-none-match": `"${heldCounter}"` } : {},
  });
  // Unchanged since this device last read or wrote it: no body to fetch and open again.
  if (response.status === 304 && held) {
    await response.body?.cancel().catch(() => {});
    return { kind: "unchanged" };
  }
  if (!response.ok) throw await apiErrorFrom(response);
  performance.mark("umbra-checkpoint-answered");
  const jsonAnswer = await response.json().catch(() => undefined);
  performance.mark("umbra-checkpoint-read");
  const parsedAnswer = CheckpointResponse.safeParse(jsonAnswer);
  if (!parsedAnswer.success) throw new InvalidResponseError("The library checkpoint answer is malformed");
  const { counter, checkpoint } = parsedAnswer.data;
  if (counter === 0 || checkpoint === null) return { kind: "none" };
  return {
    kind: "answered",
    counter,
    open: async () => {
      const plain = await openCheckpoint(await key(), userId, counter, fromBase64Url(checkpoint));
      performance.mark("umbra-checkpoint-opened");
      try {
        return JSON.parse(utf8Decode(plain));
      } catch {
        throw new InvalidResponseError("The library checkpoint does not parse");
      }
    },
  };
}
