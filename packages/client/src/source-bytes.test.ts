import { describe, expect, it } from "vitest";
import { UmbraClientError } from "./errors.js";
import type { UploadSource } from "./metadata.js";
import { readSourceBytes, streamOfBytes } from "./source-bytes.js";

function sourceOf(size: number, chunks: number[][]): UploadSource {
  return {
    name: "photo.jpg",
    size,
    localKey: "photo.jpg",
    open: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new Uint8Array(chunk));
          controller.close();
        },
      }),
  };
}

describe("readSourceBytes", () => {
  it("joins the source's chunks into exactly its bytes", async () => {
    const bytes = await readSourceBytes(sourceOf(5, [[1, 2], [3], [4, 5]]));
    expect([...bytes]).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([
    ["grew", [[1, 2, 3], [4]]],
    ["shrank", [[1, 2]]],
  ])("refuses a file that %s since it was listed", async (_, chunks) => {
    const read = readSourceBytes(sourceOf(3, chunks));
    await expect(read).rejects.toBeInstanceOf(UmbraClientError);
    await expect(read).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("streams the bytes back unchanged", async () => {
    const chunks: number[] = [];
    for await (const chunk of streamOfBytes(
      new Uint8Array([7, 8, 9]),
    ) as unknown as AsyncIterable<Uint8Array>)
      chunks.push(...chunk);
    expect(chunks).toEqual([7, 8, 9]);
  });
});
