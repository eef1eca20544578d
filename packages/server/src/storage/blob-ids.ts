/** The three blobs of a file, named after its blob key (the upload id it was committed from, never reused). */
export const blobIds = (blobKey: string) => ({
  content: `${blobKey}.content`,
  grid: `${blobKey}.grid`,
  preview: `${blobKey}.preview`,
});

export type BlobPart = keyof ReturnType<typeof blobIds>;

/**
 * A video's optional playable rendition (SPEC §6.10). Unlike the others it can be replaced, so its id names the
 * file, not the bytes; the sweeper keeps it with its file because the id starts with the same blob key.
 */
export const renditionBlobId = (blobKey: string) => `${blobKey}.rendition`;
