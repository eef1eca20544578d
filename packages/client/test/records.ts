import type { FileRecord } from "@umbra/protocol";

/** A valid file id, distinct per `n`. */
export const testFileId = (n: number) => `f_${String(n).padStart(22, "A")}`;

/** A file record with fixed placeholder fields (nothing in it is opened): `albums`, `seq` and the rest as given. */
export function testFileRecord(n: number, fields: Partial<FileRecord> = {}): FileRecord {
  return {
    id: testFileId(n),
    albums: [],
    encryptedMetadata: "meta",
    contentSize: 10,
    thumbnails: { grid: 1, preview: 1 },
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    trashedAt: null,
    seq: n,
    ...fields,
  };
}
