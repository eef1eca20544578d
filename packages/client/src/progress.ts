/** A snapshot of a transfer: what the CLI's bars and the web's progress UI render. */
export interface ProgressSnapshot {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  filesSkipped: number;
  /** Bytes per second, smoothed. */
  rate: number;
  /** Seconds left at the current rate, or undefined before a rate is known. */
  etaSeconds: number | undefined;
  current: { name: string; bytesDone: number; bytesTotal: number }[];
}

/** Tracks bytes and files of a multi-file transfer; rate is an exponentially weighted moving average. */
export class ProgressTracker {
  private bytesDone = 0;
  private bytesTotal = 0;
  private filesDone = 0;
  private filesTotal = 0;
  private filesSkipped = 0;
  private rate = 0;
  private lastSampleAt: number;
  private lastSampleBytes = 0;
  private readonly current = new Map<string, { name: string; bytesDone: number; bytesTotal: number }>();

  constructor(private readonly now: () => number = () => Date.now()) {
    this.lastSampleAt = now();
  }

  addFiles(count: number, bytes: number): void {
    this.filesTotal += count;
    this.bytesTotal += bytes;
  }

  startFile(key: string, name: string, bytesTotal: number): void {
    this.current.set(key, { name, bytesDone: 0, bytesTotal });
  }

  /** Records the file's absolute progress; bytes already counted are not counted twice. */
  fileProgress(key: string, bytesDone: number): void {
    const entry = this.current.get(key);
    if (!entry) return;
    const delta = Math.max(0, bytesDone - entry.bytesDone);
    entry.bytesDone = Math.max(entry.bytesDone, bytesDone);
    this.addBytes(delta);
  }

  finishFile(key: string, skipped = false): void {
    const entry = this.current.get(key);
    if (entry) this.addBytes(Math.max(0, entry.bytesTotal - entry.bytesDone));
    this.current.delete(key);
    this.filesDone++;
    if (skipped) this.filesSkipped++;
  }

  /** A file that failed: its bytes leave the total so the ETA stays honest. */
  failFile(key: string): void {
    const entry = this.current.get(key);
    if (entry) this.bytesTotal -= entry.bytesTotal - entry.bytesDone;
    this.current.delete(key);
  }

  private addBytes(delta: number): void {
    this.bytesDone += delta;
    const t = this.now();
    const elapsed = (t - this.lastSampleAt) / 1000;
    if (elapsed >= 0.25) {
      const instant = (this.bytesDone - this.lastSampleBytes) / elapsed;
      this.rate = this.rate === 0 ? instant : 0.7 * this.rate + 0.3 * instant;
      this.lastSampleAt = t;
      this.lastSampleBytes = this.bytesDone;
    }
  }

  snapshot(): ProgressSnapshot {
    const left = Math.max(0, this.bytesTotal - this.bytesDone);
    return {
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      filesSkipped: this.filesSkipped,
      rate: this.rate,
      etaSeconds: this.rate > 0 ? left / this.rate : undefined,
      current: [...this.current.values()].map((c) => ({ ...c })),
    };
  }
}
