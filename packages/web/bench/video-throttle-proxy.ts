// A TCP proxy in front of the server that shapes both directions like one network link: a byte rate (token
// bucket, shared by every connection in that direction) and a one-way delay. It sits below HTTP, so it slows
// the page's fetches and a Service Worker's fetches alike, which the DevTools network emulation does not
// promise. It also counts the bytes sent to the browser.
import net from "node:net";

export interface LinkShape {
  /** Bits per second in each direction; Infinity for none. */
  bitsPerSecond: number;
  /** Round-trip time added (half each way); 0 for none. */
  rttMs: number;
}

export interface ThrottleProxy {
  url: string;
  shape: LinkShape;
  /** Bytes forwarded from the server to the browser since the last reset. */
  bytesDown(): number;
  resetCount(): void;
  close(): Promise<void>;
}

/** A piece waiting for the link, and the connection it belongs to (dropped if that connection closes). */
interface Piece {
  to: net.Socket;
  bytes: Buffer;
  done: () => void;
}

/** Largest piece sent at once, and the token bucket's burst: ~3 ms at 40 Mbit/s. */
const PIECE_BYTES = 16 * 1024;
/** A connection stops reading its source when this much is queued (the bottleneck's buffer). */
const HIGH_WATER_BYTES = 256 * 1024;

/** One direction of the link: FIFO across connections, drained at the rate, delivered after the delay. */
class Direction {
  private readonly queue: Piece[] = [];
  private tokens = PIECE_BYTES;
  private lastRefill = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly bytesPerMs: number;
  private readonly delayMs: number;

  constructor(
    shape: LinkShape,
    private readonly onSent: (bytes: number) => void,
  ) {
    this.bytesPerMs = shape.bitsPerSecond / 8 / 1000;
    this.delayMs = shape.rttMs / 2;
  }

  send(to: net.Socket, bytes: Buffer, done: () => void): void {
    if (!Number.isFinite(this.bytesPerMs) && this.delayMs === 0) {
      this.deliver({ to, bytes, done });
      return;
    }
    // An empty piece (a half-close) still waits its turn behind the data before it.
    let at = 0;
    do {
      const piece = bytes.subarray(at, at + PIECE_BYTES);
      at += PIECE_BYTES;
      this.queue.push({ to, bytes: piece, done: at >= bytes.length ? done : () => {} });
    } while (at < bytes.length);
    this.pump();
  }

  /** Drops what a closed connection still had queued. */
  drop(to: net.Socket): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.to === to) this.queue.splice(i, 1);
  }

  private pump(): void {
    if (this.timer) return;
    const now = performance.now();
    this.tokens = Math.min(PIECE_BYTES, this.tokens + (now - this.lastRefill) * this.bytesPerMs);
    this.lastRefill = now;
    while (this.queue.length > 0 && this.tokens >= this.queue[0]!.bytes.length) {
      const piece = this.queue.shift()!;
      this.tokens -= piece.bytes.length;
      if (this.delayMs > 0) setTimeout(() => this.deliver(piece), this.delayMs);
      else this.deliver(piece);
    }
    if (this.queue.length === 0) return;
    const wait = (this.queue[0]!.bytes.length - this.tokens) / this.bytesPerMs;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(wait)),
    );
  }

  private deliver({ to, bytes, done }: Piece): void {
    if (to.destroyed || to.writableEnded) {
      done();
      return;
    }
    this.onSent(bytes.length);
    to.write(bytes, () => done());
  }
}

/** Pipes `from` into `to` through the link direction, pausing `from` while too much is queued. */
function forward(from: net.Socket, to: net.Socket, direction: Direction): void {
  let queued = 0;
  from.on("data", (chunk: Buffer) => {
    queued += chunk.length;
    if (queued > HIGH_WATER_BYTES) from.pause();
    direction.send(to, chunk, () => {
      queued -= chunk.length;
      if (queued <= HIGH_WATER_BYTES / 4 && from.isPaused() && !from.destroyed) from.resume();
    });
  });
  from.on("end", () => {
    // The half-close travels after the data still queued on the link.
    direction.send(to, Buffer.alloc(0), () => to.end());
  });
  // A reset (the browser cancelling a request) cuts the other side at once; a clean close waits for `end`.
  from.on("close", (hadError) => {
    if (hadError && !to.destroyed) to.destroy();
  });
  to.on("close", () => direction.drop(to));
  from.on("error", () => to.destroy());
}

/** Listens on 127.0.0.1 and forwards every connection to `target` (http://host:port) through the shaped link. */
export async function startThrottleProxy(target: string, shape: LinkShape): Promise<ThrottleProxy> {
  const { hostname, port } = new URL(target);
  let down = 0;
  const up = new Direction(shape, () => {});
  const downward = new Direction(shape, (n) => {
    down += n;
  });
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    client.setNoDelay(true);
    client.pause();
    const upstream = net.connect({ host: hostname, port: Number(port), allowHalfOpen: true });
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    client.on("close", () => sockets.delete(client));
    upstream.on("close", () => sockets.delete(upstream));
    forward(client, upstream, up);
    forward(upstream, client, downward);
    // The TCP handshake's round trip, which the local connect does not take.
    const open = () => client.resume();
    upstream.once("connect", () => (shape.rttMs > 0 ? setTimeout(open, shape.rttMs) : open()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    shape,
    bytesDown: () => down,
    resetCount: () => {
      down = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const describeShape = (shape: LinkShape): string =>
  Number.isFinite(shape.bitsPerSecond)
    ? `${shape.bitsPerSecond / 1e6} Mbit/s, ${shape.rttMs} ms RTT`
    : shape.rttMs > 0
      ? `unlimited rate, ${shape.rttMs} ms RTT`
      : "unthrottled";
