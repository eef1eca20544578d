import * as tus from "tus-js-client";
import { EncryptedSource } from "./encrypted-source.js";
import { UmbraClientError } from "./errors.js";
import { apiErrorFrom, type HttpTransport } from "./http.js";
import { canStreamRequestBodies, nodeStreamBody } from "./node-stream-body.js";

/**
 * Bytes per tus PATCH. A browser's XHR needs each PATCH body as one buffer, so there it also bounds memory;
 * in Node the body is streamed (no buffer of that size), so it only sets how often the server records
 * progress, and larger PATCHes save round trips and per-request work on both sides.
 */
export const BUFFERED_PATCH_BYTES = 8 * 1024 * 1024;
export const STREAMED_PATCH_BYTES = 64 * 1024 * 1024;

export interface CiphertextUpload {
  http: HttpTransport;
  urlStorage: tus.UrlStorage;
  /** tus fingerprint: the same for every attempt at the same file, so a re-run finds the partial upload. */
  fingerprint: string;
  /** Record the upload URL under the fingerprint (and look for an earlier one) so a re-run can resume. */
  resumable: boolean;
  size: number;
  /** Opens the (deterministic) ciphertext from its first byte. */
  openCiphertext: () => ReadableStream<Uint8Array>;
  chunkSize?: number;
  signal?: AbortSignal;
  /** Ciphertext bytes the server has acknowledged or that are on their way. */
  onProgress: (sentBytes: number) => void;
  /** The upload continues a partial one: `offset` bytes were already on the server. */
  onResumed: (offset: number) => void;
}

/** Streams a ciphertext through tus, resuming a previous partial upload; resolves to the server's upload id. */
export function uploadCiphertext(job: CiphertextUpload): Promise<string> {
  const { http, size, signal } = job;
  const streamed = canStreamRequestBodies;
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, uploadId?: string) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(uploadId ?? "");
      else reject(error);
    };
    // The input is unused: the custom fileReader below produces the ciphertext.
    const placeholder = { read: () => Promise.resolve({ done: true as const, value: undefined }) };
    const upload = new tus.Upload(placeholder, {
      endpoint: http.url("/api/uploads"),
      uploadSize: size,
      chunkSize: job.chunkSize ?? (streamed ? STREAMED_PATCH_BYTES : BUFFERED_PATCH_BYTES),
      headers: http.authHeaders(),
      metadata: {},
      retryDelays: [0, 500, 1500, 4000],
      storeFingerprintForResuming: job.resumable,
      removeFingerprintOnSuccess: job.resumable,
      // Without resume state nothing is lost by sending the first PATCH's bytes with the creating POST
      // (tus creation-with-upload): a small file then takes one request instead of two.
      uploadDataDuringCreation: !job.resumable,
      urlStorage: job.urlStorage,
      fingerprint: async () => job.fingerprint,
      fileReader: {
        openFile: async () => {
          const encrypted = new EncryptedSource(size, job.openCiphertext);
          let first = true;
          return {
            size,
            close: () => encrypted.close(),
            slice: async (start: number, end: number) => {
              if (first && start > 0) job.onResumed(start);
              first = false;
              end = Math.min(end, size);
              if (streamed) {
                const body = nodeStreamBody(encrypted.sliceChunks(start, end), end - start);
                // tus pipes the body into the request but does not watch it for errors: a failing source
                // (file changed or unreadable) must end the upload, not leave the request waiting.
                body.on("error", (error) => {
                  void upload.abort(false);
                  finish(error);
                });
                return { value: body, done: end >= size };
              }
              // As a Blob, XHR hands the browser a reference instead of copying the bytes through a
              // synchronous send on the page's thread; made from the chunks themselves, the bytes are not first
              // copied into one buffer. tus reads the length from `size` either way.
              if (typeof Blob !== "undefined") {
                const parts: Uint8Array<ArrayBuffer>[] = [];
                for await (const part of encrypted.sliceChunks(start, end))
                  parts.push(part as Uint8Array<ArrayBuffer>);
                return { value: new Blob(parts), done: end >= size };
              }
              const { value, done } = await encrypted.slice(start, end);
              return { value: Object.assign(value, { size: value.length }), done };
            },
          };
        },
      },
      onShouldRetry: (error) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        // No retry for answers that will not change: quota, auth, validation.
        return (
          status === 0 ||
          status === 409 ||
          status === 423 ||
          status === 429 ||
          (status >= 500 && status !== 507)
        );
      },
      onProgress: (sent) => job.onProgress(sent),
      onSuccess: () => finish(undefined, (upload.url ?? "").split("/").pop() ?? ""),
      onError: (error) => finish(tusError(error)),
    });
    const onAbort = () => {
      // Keep the upload on the server (no termination): a re-run resumes it.
      void upload.abort(false);
      finish(new UmbraClientError("ABORTED", "Upload interrupted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    (job.resumable ? upload.findPreviousUploads() : Promise.resolve([]))
      .then((previous) => {
        const last = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
        if (last) upload.resumeFromPreviousUpload(last);
        upload.start();
      })
      .catch((error: unknown) => finish(error));
  });
}

function tusError(error: Error): Error {
  const response = (error as tus.DetailedError).originalResponse;
  if (response) return apiErrorFrom({ status: response.getStatus(), body: response.getBody() });
  return new UmbraClientError("NETWORK", `Upload failed: ${error.message}`, { cause: error });
}
