import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UmbraClient } from "../src/client.js";
import { downloadThumbnail } from "../src/download.js";
import { inThreadDecryptor, type MetadataJob, type RecordDecryptor } from "../src/record-decrypt.js";
import { startServer } from "./server-process.js";
import { hooks, photo } from "./upload-fixtures.js";

// The hook an app uses to open records elsewhere (the web app: workers): the SDK hands it the jobs, and what it
// answers is checked and reported exactly as the SDK's own in-thread decryption would be.
let server: Awaited<ReturnType<typeof startServer>>;
const EMAIL = "decryptor@example.com";
const PASSWORD = "decryptor password one";

/** The in-thread decryptor, counting the jobs and thumbnails it is given. */
function countingDecryptor(): RecordDecryptor & { jobs: MetadataJob[]; thumbnails: number } {
  const jobs: MetadataJob[] = [];
  const counting = {
    jobs,
    thumbnails: 0,
    metadata: (keys: ReadonlyMap<string, Uint8Array>, batch: readonly MetadataJob[]) => {
      jobs.push(...batch);
      return inThreadDecryptor.metadata(keys, batch);
    },
    thumbnail: (...args: Parameters<RecordDecryptor["thumbnail"]>) => {
      counting.thumbnails++;
      return inThreadDecryptor.thumbnail(...args);
    },
  };
  return counting;
}

/** A freshly logged-in client: nothing decrypted or cached yet. */
async function freshClient(): Promise<UmbraClient> {
  const client = new UmbraClient({ serverUrl: server.url });
  await client.login(EMAIL, PASSWORD);
  await client.library.sync();
  return client;
}

describe("a RecordDecryptor given to the library", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    server = await startServer();
    const owner = new UmbraClient({ serverUrl: server.url });
    await owner.signup(EMAIL, PASSWORD);
    const summary = await owner.upload([photo("one.jpg", 3).source, photo("two.jpg", 5).source], hooks);
    expect(summary.uploaded).toHaveLength(2);
  }, 180_000);
  afterAll(() => server?.stop(), 60_000);

  it("opens a batch of records through the decryptor, then serves them from the cache", async () => {
    const client = await freshClient();
    const records = Object.values(client.library.state!.files);
    const decryptor = countingDecryptor();
    const batch = await client.library.metadataOf(records, decryptor);
    expect([...batch.opened.values()].map((m) => m.name).sort()).toEqual(["one.jpg", "two.jpg"]);
    expect(batch).toMatchObject({ waiting: [], rejected: 0 });
    expect(decryptor.jobs.map((j) => j.fileId).sort()).toEqual(records.map((r) => r.id).sort());
    // Opened once: the SDK's own listing and a second batch use what the decryptor returned.
    expect((await client.library.metadataOf(records, decryptor)).opened.size).toBe(2);
    expect((await client.library.files()).map((f) => f.metadata.name).sort()).toEqual(["one.jpg", "two.jpg"]);
    expect(decryptor.jobs).toHaveLength(2);
  });

  it("rejects and reports what a decryptor fails or answers in the wrong shape, never trusting it", async () => {
    const client = await freshClient();
    const [first, second] = Object.values(client.library.state!.files);
    const lying: RecordDecryptor = {
      ...inThreadDecryptor,
      metadata: async (_keys, jobs) =>
        jobs.map((job) =>
          job.fileId === first!.id
            ? { ok: false, code: "TAMPERED", message: "forged" }
            : { ok: true, metadata: { name: "", mime: 7 } },
        ),
    };
    const batch = await client.library.metadataOf([first!, second!], lying);
    expect(batch.opened.size).toBe(0);
    expect(batch.rejected).toBe(2);
    const rejected = client.warnings.list.filter((w) => w.code === "RECORD_REJECTED");
    expect(rejected.map((w) => w.subject).sort()).toEqual([first!.id, second!.id].sort());
    expect(client.library.rejected.get(second!.id)).toMatch(/unexpected shape/);
    // Nothing was cached: the SDK's own path still opens both.
    expect(client.library.cachedMetadata(first!)).toBeUndefined();
    expect((await client.library.metadata(first!)).name).toMatch(/^(one|two)\.jpg$/);
  });

  it("opens a thumbnail through the decryptor given to downloadThumbnail", async () => {
    const client = await freshClient();
    const [record] = Object.values(client.library.state!.files);
    const decryptor = countingDecryptor();
    const bytes = await downloadThumbnail(client.http, client.library, record!.id, "grid", { decryptor });
    expect([...bytes]).toEqual([1, 2]);
    expect(decryptor.thumbnails).toBe(1);
  });
});
