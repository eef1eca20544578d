// Measured inside the page, on whichever <video> the page shows: from the click that asks for playback to the
// first frame presented after play() (requestVideoFrameCallback), then seeks: currentTime set → the first frame
// presented after `seeked` that shows the new position.
import type { Page } from "playwright-core";

export interface PlaybackTimes {
  /** Click → first presented frame after play(), ms; null when it did not happen within the bound. */
  ttffMs: number | null;
  /** Per seek target (fraction of the duration): set currentTime → next frame after `seeked`, ms. */
  seekMs: (number | null)[];
  /** Where it stopped, when it did not finish. */
  failure?: string;
  /** The video's source as played (a blob: URL, or the URL a Service Worker answers), cut short. */
  src?: string;
  /** Whether a Service Worker controlled the page. */
  serviceWorker?: boolean;
}

interface ArmOptions {
  selector: string;
  fractions: number[];
  timeoutMs: number;
}

/**
 * Arms the measurement in the page: the next click starts the clock, the first element matching `selector`
 * (now or later) is played and measured. Resolves in the page as globalThis.umbraVideoBench.
 */
function arm({ selector, fractions, timeoutMs }: ArmOptions): void {
  type Frame = { now: number; mediaTime: number };
  const nextFrame = (video: HTMLVideoElement) =>
    new Promise<Frame>((resolve) =>
      video.requestVideoFrameCallback((now, m) => resolve({ now, mediaTime: m.mediaTime })),
    );
  const holder = globalThis as { umbraVideoBench?: Promise<PlaybackTimes> };
  holder.umbraVideoBench = new Promise<PlaybackTimes>((resolveAll) => {
    const result: PlaybackTimes = { ttffMs: null, seekMs: [] };
    let phase = "waiting for the click";
    let finished = false;
    let playing: HTMLVideoElement | undefined;
    // What the app's Service Worker reported to the page, if anything went wrong there.
    const workerReports: string[] = [];
    navigator.serviceWorker?.addEventListener("message", (e: MessageEvent) => {
      const data = e.data as { type?: string; failure?: unknown } | null;
      if (data?.type?.includes("failure")) workerReports.push(JSON.stringify(data.failure));
    });
    /** The element's state when it stopped: enough to tell a stalled fetch from a decoder stuck. */
    const state = (v: HTMLVideoElement) => {
      const buffered = Array.from(
        { length: v.buffered.length },
        (_, i) => `${v.buffered.start(i).toFixed(1)}-${v.buffered.end(i).toFixed(1)}`,
      ).join(",");
      return ` (readyState ${v.readyState}, networkState ${v.networkState}, currentTime ${v.currentTime.toFixed(1)}, duration ${v.duration}, buffered ${buffered || "none"}, src ${v.currentSrc.slice(0, 40)}, in the page: ${v.isConnected}, now ${document.querySelectorAll(selector).length} matching; viewer says: ${(document.querySelector("[data-testid=viewer]")?.textContent ?? "(closed)").replace(/\s+/g, " ").slice(0, 200)})`;
    };
    const finish = (failure?: string) => {
      if (finished) return;
      finished = true;
      if (failure)
        result.failure =
          failure +
          (playing ? state(playing) : "") +
          (workerReports.length > 0 ? `; Service Worker reported ${workerReports.join(", ")}` : "");
      resolveAll(result);
    };
    const deadline = setTimeout(() => finish(`timed out ${phase}`), timeoutMs);
    let clickedAt = 0;
    document.addEventListener(
      "click",
      () => {
        if (clickedAt) return;
        clickedAt = performance.now();
        phase = "waiting for the <video> element";
        watch();
      },
      { capture: true },
    );
    const found = () => document.querySelector<HTMLVideoElement>(selector);
    const watch = () => {
      const video = found();
      if (video) return void measure(video);
      const observer = new MutationObserver(() => {
        const v = found();
        if (!v) return;
        observer.disconnect();
        void measure(v);
      });
      observer.observe(document.documentElement, { childList: true, subtree: true });
    };
    const measure = async (video: HTMLVideoElement) => {
      playing = video;
      // The app took the element away (an error shown instead, say): stop now rather than at the bound.
      const gone = new MutationObserver(() => {
        if (video.isConnected) return;
        gone.disconnect();
        finish(`the <video> left the page ${phase}`);
      });
      gone.observe(document.documentElement, { childList: true, subtree: true });
      try {
        phase = "waiting for the first frame";
        video.addEventListener("error", () =>
          finish(`media error ${video.error?.code}: ${video.error?.message}`),
        );
        // Playback requested: the app may autoplay already; asking again is harmless.
        const first = nextFrame(video);
        const play = () => video.play().catch(() => {});
        if (video.currentSrc) void play();
        else video.addEventListener("loadstart", () => void play(), { once: true });
        const frame = await first;
        result.ttffMs = frame.now - clickedAt;
        result.src = video.currentSrc.slice(0, 60);
        result.serviceWorker = Boolean(navigator.serviceWorker?.controller);
        for (const fraction of fractions) {
          phase = `seeking to ${Math.round(fraction * 100)} %`;
          // Settle: a few frames of steady playback before each seek, as a viewer would watch a moment.
          for (let i = 0; i < 3; i++) await nextFrame(video);
          if (!Number.isFinite(video.duration)) throw new Error(`duration ${video.duration}`);
          const target = fraction * video.duration;
          const seeked = new Promise<void>((r) =>
            video.addEventListener("seeked", () => r(), { once: true }),
          );
          const began = performance.now();
          video.currentTime = target;
          await seeked;
          let shown = await nextFrame(video);
          // A frame from before the seek can still be on its way: wait for one at the new position.
          while (Math.abs(shown.mediaTime - target) > 3) shown = await nextFrame(video);
          result.seekMs.push(shown.now - began);
        }
        clearTimeout(deadline);
        finish();
      } catch (error) {
        finish(`${phase}: ${String(error)}`);
      }
    };
  });
}

/** Arms the page; the caller then clicks what starts playback and awaits `collect`. */
export async function armPlayback(page: Page, options: ArmOptions): Promise<void> {
  await page.evaluate(arm, options);
}

export async function collectPlayback(page: Page): Promise<PlaybackTimes> {
  return page.evaluate(() => (globalThis as { umbraVideoBench?: Promise<PlaybackTimes> }).umbraVideoBench!);
}

/**
 * The baseline's page: a same-origin document (an API 404, so no app and no Service Worker) with a button
 * whose click puts a plain <video src> over the whole viewport, like the viewer's, and plays it.
 */
export async function showPlainPlayer(page: Page, origin: string, src: string): Promise<void> {
  await page.goto(`${origin}/api/umbra-video-bench-blank`);
  await page.evaluate((source) => {
    document.body.innerHTML = "";
    document.body.style.cssText = "margin:0;background:#000";
    const button = document.createElement("button");
    button.id = "play";
    button.textContent = "Play";
    button.style.cssText = "position:fixed;top:0;left:0;z-index:2";
    button.addEventListener("click", () => {
      const video = document.createElement("video");
      video.controls = true;
      video.playsInline = true;
      video.style.cssText = "position:fixed;inset:0;width:100%;height:100%;object-fit:contain";
      video.src = source;
      document.body.append(video);
      void video.play().catch(() => {});
    });
    document.body.append(button);
  }, src);
}
