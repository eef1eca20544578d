/** The longest a requested save waits before it starts. */
const MAX_SAVE_SPACING_MS = 5_000;

/**
 * Saves once for a burst of changes. A save of the library cache serializes the whole library (one value in
 * the store), so saves are spaced by three times the last one's duration: saving takes at most a quarter of the
 * time however large the library grows. Saving once per uploaded file made a 50,000-item library upload at a
 * few files a second.
 */
export class SpacedSave {
  /** A save waiting to start: it takes every change made until it starts. */
  private scheduled: Promise<void> | undefined;
  /** The save writing now (never rejects: a failure is kept in `error`). */
  private running: Promise<void> | undefined;
  private lastSaveMs = 0;
  private error: unknown;

  constructor(private readonly save: () => Promise<void>) {}

  /** Asks for a save after the current spacing; a request while one waits joins it. */
  request(): void {
    if (this.scheduled) return;
    const delay = Math.min(MAX_SAVE_SPACING_MS, this.lastSaveMs * 3);
    this.scheduled = (async () => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      await this.running;
      this.scheduled = undefined;
      const began = performance.now();
      const run = this.save().then(
        () => {
          this.lastSaveMs = performance.now() - began;
        },
        (error: unknown) => {
          this.error = error;
        },
      );
      this.running = run;
      await run;
      if (this.running === run) this.running = undefined;
    })();
  }

  /** Waits until every requested save is written; throws (once) if one failed. */
  async flush(): Promise<void> {
    for (let next = this.scheduled ?? this.running; next; next = this.scheduled ?? this.running) await next;
    const error = this.error;
    this.error = undefined;
    if (error !== undefined) throw error;
  }
}
