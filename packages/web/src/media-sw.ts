// The video Service Worker: answers the players' `/media/<token>/<fileId>` requests with plaintext decrypted here
// from the server's ciphertext (lib/video/range-response.ts), and keeps the app shell's offline copy
// (lib/pwa/app-shell-cache.ts); the API goes to the network untouched.
import type { MediaStreamSource } from "@umbra/client";
import { answerFile, answerPage, shellRequestKind, updateShellCache } from "./lib/pwa/app-shell-cache.js";
import {
  attachmentHeader,
  isPageToWorker,
  type PageToWorker,
  parseDownloadPath,
  parseMediaPath,
  type WorkerToPage,
} from "./lib/video/media-messages.js";
import { answerRange } from "./lib/video/range-response.js";
import { WorkerSources } from "./lib/video/worker-sources.js";

/** The parts of ServiceWorkerGlobalScope used here, typed by hand: the app compiles against the DOM lib. */
interface WorkerClient {
  postMessage(message: WorkerToPage, transfer?: Transferable[]): void;
}
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface InstallEvent extends ExtendableEvent {
  addRoutes?(rules: unknown): Promise<void>;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  readonly clientId: string;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  addEventListener(type: "install", listener: (event: InstallEvent) => void): void;
  addEventListener(type: "activate", listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEvent) => void): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void>; get(id: string): Promise<WorkerClient | undefined> };
}

const scope = self as unknown as ServiceWorkerScope;

/** How long a restarted worker waits for the page to hand its keys back before answering 404. */
const ASK_PAGE_MS = 10_000;

async function askPage(clientId: string, token: string): Promise<MediaStreamSource | null> {
  const client = await scope.clients.get(clientId);
  if (!client) return null;
  const channel = new MessageChannel();
  const answer = new Promise<MediaStreamSource | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), ASK_PAGE_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve((event.data as MediaStreamSource | null) ?? null);
    };
  });
  client.postMessage({ type: "umbra-media-need", token }, [channel.port2]);
  return answer;
}

const sources = new WorkerSources(askPage);

scope.addEventListener("install", (event) => {
  // The API and uploads skip this worker (Static Routing API); media URLs and the app's own files wake it.
  event.waitUntil(
    (async () => {
      try {
        await event.addRoutes?.({ condition: { urlPattern: "/api/*" }, source: "network" });
      } catch {
        // Without the routing API every request passes through the fetch handler below, which lets it go.
      }
      await updateShellCache().catch(() => null); // Offline copy is best effort: video must work without it.
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener("activate", (event) => event.waitUntil(scope.clients.claim()));

/** Streams the page handed over to be saved, by token, until their download is asked for (once). */
const downloads = new Map<string, Extract<PageToWorker, { type: "umbra-media-download" }>>();

scope.addEventListener("message", (event) => {
  if (!isPageToWorker(event.data)) return;
  if (event.data.type === "umbra-media-download") {
    downloads.set(event.data.token, event.data);
    event.ports[0]?.postMessage(true);
    return;
  }
  if (event.data.type === "umbra-media-forget-all") downloads.clear();
  sources.onMessage(event.data, event.ports[0]);
});

scope.addEventListener("fetch", (event) => {
  const download =
    event.request.method === "GET" ? parseDownloadPath(new URL(event.request.url).pathname) : null;
  if (download) {
    event.respondWith(Promise.resolve(saveAnswer(download)));
    return;
  }
  const media = event.request.method === "GET" ? parseMediaPath(new URL(event.request.url).pathname) : null;
  if (media) {
    event.respondWith(serve(event, media.token, media.fileId));
    return;
  }
  const kind = shellRequestKind(event.request, self.location.origin);
  if (kind === "page") event.respondWith(answerPage(event.request, (work) => event.waitUntil(work)));
  else if (kind === "file") event.respondWith(answerFile(event.request));
});

function saveAnswer(token: string): Response {
  const held = downloads.get(token);
  downloads.delete(token);
  if (!held) return new Response(null, { status: 404, headers: { "umbra-error": "NOT_FOUND" } });
  return new Response(held.stream, {
    headers: { "content-type": held.mime, "content-disposition": attachmentHeader(held.name) },
  });
}

async function serve(event: FetchEvent, token: string, fileId: string): Promise<Response> {
  const source = await sources.get(token, fileId, event.clientId);
  if (!source) return new Response(null, { status: 404, headers: { "umbra-error": "NOT_FOUND" } });
  return answerRange(
    event.request.headers.get("range"),
    source,
    (start, end, signal) =>
      fetch(source.contentUrl, {
        headers: { ...source.headers, range: `bytes=${start}-${end}` },
        signal,
        cache: "no-store",
      }),
    (failure) => {
      sources.recordFailure(token, failure);
      void scope.clients
        .get(event.clientId)
        .then((client) => client?.postMessage({ type: "umbra-media-failure", token, failure }));
    },
    event.request.signal,
  );
}
