// Smoothness figures measured inside the page: requestAnimationFrame gaps, long tasks and long animation
// frames (PerformanceObserver), scrubber jumps, and the page's footprint (JS heap over CDP, DOM tiles).
import type { CDPSession, Page } from "playwright-core";

/**
 * Installed before the app loads: keeps every long task and long animation frame from the start, so the
 * library load's main-thread blocks are counted too (the observers are cheap and only fire on > 50 ms).
 */
export const LONG_TASK_INIT_SCRIPT = `
globalThis.umbraBenchLong = [];
for (const type of ["longtask", "long-animation-frame"]) {
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        globalThis.umbraBenchLong.push({ type: e.entryType, start: e.startTime, duration: e.duration });
    }).observe({ type, buffered: true });
  } catch {}
}`;

export interface FrameStats {
  /** requestAnimationFrame callbacks seen in the window. */
  frames: number;
  p99GapMs: number;
  maxGapMs: number;
  over50: number;
  longTasks: number;
  longTaskMaxMs: number;
  longFrames: number;
  longFrameMaxMs: number;
}

/** Starts a requestAnimationFrame loop that records each frame's timestamp until `stopFrames`. */
export async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as { umbraBenchFrames?: { times: number[]; running: boolean } };
    const rec = { times: [] as number[], running: true };
    g.umbraBenchFrames = rec;
    const tick = (t: number) => {
      if (!rec.running) return;
      rec.times.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Stops the loop and summarizes frame gaps and the long tasks / frames that began since it started. */
export async function stopFrames(page: Page): Promise<FrameStats> {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      umbraBenchFrames: { times: number[]; running: boolean };
      umbraBenchLong: { type: string; start: number; duration: number }[];
    };
    const { times } = g.umbraBenchFrames;
    g.umbraBenchFrames.running = false;
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const sorted = [...gaps].sort((a, b) => a - b);
    const from = times[0] ?? 0;
    const to = times[times.length - 1] ?? 0;
    const inWindow = (type: string) =>
      g.umbraBenchLong.filter((e) => e.type === type && e.start >= from && e.start <= to);
    const tasks = inWindow("longtask");
    const frames = inWindow("long-animation-frame");
    return {
      frames: times.length,
      p99GapMs: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0,
      maxGapMs: sorted[sorted.length - 1] ?? 0,
      over50: gaps.filter((d) => d > 50).length,
      longTasks: tasks.length,
      longTaskMaxMs: Math.max(0, ...tasks.map((e) => e.duration)),
      longFrames: frames.length,
      longFrameMaxMs: Math.max(0, ...frames.map((e) => e.duration)),
    };
  });
}

/** Long tasks that began between two page times (e.g. login → library loaded). */
export async function longTasksBetween(
  page: Page,
  from: number,
  to: number,
): Promise<{ count: number; maxMs: number; totalMs: number }> {
  return page.evaluate(
    ({ from, to }) => {
      const all = (
        globalThis as unknown as { umbraBenchLong: { type: string; start: number; duration: number }[] }
      ).umbraBenchLong;
      const tasks = all.filter((e) => e.type === "longtask" && e.start >= from && e.start <= to);
      return {
        count: tasks.length,
        maxMs: Math.max(0, ...tasks.map((e) => e.duration)),
        totalMs: tasks.reduce((s, e) => s + e.duration, 0),
      };
    },
    { from, to },
  );
}

/**
 * Scrolls the grid at a constant speed, moving scrollTop once per frame as a fling would, for `seconds`
 * (or until the end of the library) while frames are recorded.
 */
export async function smoothScroll(page: Page, pxPerSecond: number, seconds: number): Promise<FrameStats> {
  await startFrames(page);
  await page.evaluate(
    ({ pxPerSecond, seconds }) =>
      new Promise<void>((resolve) => {
        const grid = document.querySelector<HTMLElement>("[data-testid=grid]")!;
        const began = performance.now();
        const start = grid.scrollTop;
        const step = (t: number) => {
          const elapsed = (t - began) / 1000;
          const before = grid.scrollTop;
          grid.scrollTop = start + pxPerSecond * elapsed;
          if (elapsed >= seconds || (elapsed > 0.1 && grid.scrollTop === before)) resolve();
          else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    { pxPerSecond, seconds },
  );
  return stopFrames(page);
}

export interface JumpResult {
  year: number;
  /** Click → every tile in the viewport shows a decoded image. */
  ms: number;
  tiles: number;
  frames: FrameStats;
}

/** Clicks a year of the date scrubber and times until its screen of thumbnails is shown. */
export async function scrubberJump(page: Page, which: "oldest" | "newest"): Promise<JumpResult> {
  await startFrames(page);
  const result = await page.evaluate(
    (which) =>
      new Promise<{ year: number; ms: number; tiles: number }>((resolve) => {
        const grid = document.querySelector<HTMLElement>("[data-testid=grid]")!;
        const years = [...document.querySelectorAll<HTMLButtonElement>(".scrubber .year")];
        const button = which === "oldest" ? years[years.length - 1]! : years[0]!;
        const began = performance.now();
        button.click();
        const check = () => {
          const view = grid.getBoundingClientRect();
          const tiles = [...grid.querySelectorAll(".tile")].filter((t) => {
            const box = t.getBoundingClientRect();
            return box.bottom > view.top && box.top < view.bottom;
          });
          const ready = tiles.every((t) => {
            const img = t.querySelector("img");
            return Boolean(img?.complete) && (img?.naturalWidth ?? 0) > 0;
          });
          if (tiles.length > 0 && ready)
            resolve({ year: Number(button.textContent), ms: performance.now() - began, tiles: tiles.length });
          else if (performance.now() - began > 20_000)
            resolve({ year: Number(button.textContent), ms: -1, tiles: 0 });
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    which,
  );
  // A few frames after the screen is ready, so work that follows the jump (prefetch) is counted too.
  await page.waitForTimeout(300);
  return { ...result, frames: await stopFrames(page) };
}

export interface Footprint {
  heapMb: number;
  tiles: number;
  elements: number;
}

/** JS heap of the page after a full GC (CDP), and how much DOM the grid keeps. */
export async function footprint(page: Page): Promise<Footprint> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    const dom = await page.evaluate(() => ({
      tiles: document.querySelectorAll("[data-testid=grid] .tile").length,
      elements: document.getElementsByTagName("*").length,
    }));
    return { heapMb: usedSize / 1e6, ...dom };
  } finally {
    await cdp.detach();
  }
}

export const frameSummary = (s: FrameStats): string =>
  `${s.frames} frames; p99 ${s.p99GapMs.toFixed(1)} ms, max ${s.maxGapMs.toFixed(1)} ms, ${s.over50} > 50 ms; ` +
  `long tasks ${s.longTasks} (max ${s.longTaskMaxMs.toFixed(0)} ms)`;

export interface MainThreadTime {
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}

/** One CDP session per page kept open: Performance metrics count from `Performance.enable` on a session. */
const perfSessions = new WeakMap<Page, CDPSession>();

/** Chromium's cumulative main-thread task, script, layout and style times (CDP Performance.getMetrics). */
export async function mainThreadTime(page: Page): Promise<MainThreadTime> {
  let cdp = perfSessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    perfSessions.set(page, cdp);
  }
  const { metrics } = await cdp.send("Performance.getMetrics");
  const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return {
    taskMs: get("TaskDuration"),
    scriptMs: get("ScriptDuration"),
    layoutMs: get("LayoutDuration"),
    styleMs: get("RecalcStyleDuration"),
  };
}

/** Main-thread time spent between two readings, per second of `seconds`. */
export const busySummary = (a: MainThreadTime, b: MainThreadTime, seconds: number): string => {
  const per = (x: number) => ((x / Math.max(0.001, seconds)) | 0).toString();
  return (
    `${per(b.taskMs - a.taskMs)} ms busy per s (script ${per(b.scriptMs - a.scriptMs)}, ` +
    `layout ${per(b.layoutMs - a.layoutMs)}, style ${per(b.styleMs - a.styleMs)})`
  );
};

/**
 * A page of `count` tiles five to a row, as tall as the scroll needs, in a page of the app's size in the same
 * browser; `prepare` runs on it before the same steady scroll as the app's is measured.
 */
async function floorPageScroll(
  page: Page,
  pxPerSecond: number,
  seconds: number,
  tile: { css: string; html: string },
  prepare?: (floor: Page, count: number) => Promise<void>,
): Promise<FrameStats> {
  const floor = await page.context().newPage();
  try {
    await floor.setViewportSize(page.viewportSize() ?? { width: 1280, height: 860 });
    const count = (Math.ceil((pxPerSecond * seconds * 1.2) / 204) + 10) * 5;
    await floor.setContent(
      `<!doctype html><style>body{margin:0}#g{height:100vh;overflow:auto;display:flex;flex-wrap:wrap;gap:4px;align-content:flex-start}` +
        `.tile{width:calc(20% - 4px);height:200px;background:#8a8fa3}${tile.css}</style>` +
        `<div id="g" data-testid="grid">${tile.html.repeat(count)}</div>`,
    );
    await prepare?.(floor, count);
    await floor.evaluate(LONG_TASK_INIT_SCRIPT);
    return await smoothScroll(floor, pxPerSecond, seconds);
  } finally {
    await floor.close();
  }
}

/**
 * The compositor's own floor: the same steady scroll over a static page of plain tiles (no script, no decoding,
 * no virtualization), in a page of the same size in the same browser, measured in the same run as the app.
 */
export function staticTilesScroll(page: Page, pxPerSecond: number, seconds: number): Promise<FrameStats> {
  return floorPageScroll(page, pxPerSecond, seconds, {
    css: ".tile:nth-child(3n){background:#5d6b82}",
    html: '<div class="tile"></div>',
  });
}

/**
 * The same scroll over a page of image tiles and no app: each tile is given its own data: URL (all distinct,
 * `dataUrlOf(n)`, so none is a cache hit) when it comes within a screen of the viewport. What the browser alone
 * spends decoding a thumbnail per tile: the floor of any photo grid here.
 */
export function imageTilesScroll(
  page: Page,
  pxPerSecond: number,
  seconds: number,
  dataUrlOf: (n: number) => string,
): Promise<FrameStats> {
  return floorPageScroll(
    page,
    pxPerSecond,
    seconds,
    { css: ".tile{object-fit:cover}", html: '<img class="tile" alt="">' },
    async (floor, count) => {
      const urls = Array.from({ length: count }, (_, n) => dataUrlOf(n));
      await floor.evaluate((urls) => {
        const grid = document.getElementById("g")!;
        const tiles = [...grid.querySelectorAll("img")];
        tiles.forEach((img, n) => {
          img.dataset.n = String(n);
        });
        const seen = new IntersectionObserver(
          (entries) => {
            for (const e of entries) {
              if (!e.isIntersecting) continue;
              const img = e.target as HTMLImageElement;
              img.src = urls[Number(img.dataset.n)]!;
              seen.unobserve(img);
            }
          },
          { root: grid, rootMargin: "100% 0px" },
        );
        for (const t of tiles) seen.observe(t);
      }, urls);
    },
  );
}
