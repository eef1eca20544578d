/** The three blobs of a file, named after its blob key (the upload id it was committed from, never reused). */
export const blobIds = (blobKey: string) => ({
  content: `${blobKey}.content`,
  grid: `${blobKey}.grid`,
  preview: `${blobKey}.preview`,
});

export type BlobPart = keyof ReturnType<typeof blobIds>;
