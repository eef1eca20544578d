import type { ProgressSnapshot } from "@umbra/client";

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

function bar(done: number, total: number, width: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const full = Math.round(ratio * width);
  return `[${"#".repeat(full)}${"-".repeat(width - full)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

/** Lines of the TTY view: the total bar, then one bar per file in flight. */
export function renderProgress(snapshot: ProgressSnapshot, columns = 80): string[] {
  const width = Math.max(10, Math.min(40, columns - 50));
  const lines = [
    `total ${bar(snapshot.bytesDone, snapshot.bytesTotal, width)} ${snapshot.filesDone}/${snapshot.filesTotal} files ` +
      `${formatBytes(snapshot.rate)}/s ETA ${formatEta(snapshot.etaSeconds)}`,
  ];
  for (const file of snapshot.current) {
    const name = file.name.length > 30 ? `…${file.name.slice(-29)}` : file.name.padEnd(30);
    lines.push(`  ${name} ${bar(file.bytesDone, file.bytesTotal, width)}`);
  }
  return lines.map((line) => line.slice(0, columns - 1));
}

/** Redraws progress in place on a TTY; elsewhere it stays silent (the caller prints plain lines). */
export class ProgressView {
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly source: () => ProgressSnapshot,
  ) {}

  get interactive(): boolean {
    return Boolean(this.stream.isTTY);
  }

  start(): void {
    if (!this.interactive) return;
    this.timer = setInterval(() => this.draw(), 200);
  }

  /** Prints a message above the bars. */
  log(message: string): void {
    this.clear();
    this.stream.write(`${message}\n`);
    if (this.interactive) this.draw();
  }

  private clear(): void {
    if (this.drawn > 0) this.stream.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  draw(): void {
    if (!this.interactive) return;
    this.clear();
    const lines = renderProgress(this.source(), this.stream.columns ?? 80);
    this.stream.write(`${lines.join("\n")}\n`);
    this.drawn = lines.length;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.interactive) this.draw();
  }
}
