import * as tus from "tus-js-client";

/** Uploads bytes with tus-js-client (the real tus 1.0 client) and answers the upload id. */
export function tusUpload(
  base: string,
  token: string,
  bytes: Uint8Array,
  options: {
    chunkSize?: number;
    uploadUrl?: string;
    metadata?: Record<string, string>;
    onChunk?: (accepted: number) => void;
  } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(Buffer.from(bytes), {
      endpoint: `${base}/api/uploads`,
      uploadUrl: options.uploadUrl ?? null,
      headers: { authorization: `Bearer ${token}` },
      chunkSize: options.chunkSize ?? Number.POSITIVE_INFINITY,
      uploadSize: bytes.length,
      metadata: options.metadata ?? {},
      retryDelays: [],
      onChunkComplete: (_size, accepted) => options.onChunk?.(accepted),
      onError: reject,
      onSuccess: () => resolve(upload.url!.split("/").pop()!),
    });
    upload.start();
  });
}
