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
  /** When it reached the link (ms, performance.now()); then when it is due at the far end. */
  at: number;
}

/** Largest piece put on the link at once: ~3 ms at 40 Mbit/s. */
const PIECE_BYTES = 16 * 1024;
/** A connection stops reading its source when this much is queued (the bottleneck's buffer). */
const HIGH_WATER_BYTES = 512 * 1024;

/**
 * One direction of the link: FIFO across connections, each piece put on the wire when the previous one is
 * through (a virtual clock, so a late timer delivers a burst instead of losing rate), then delivered after
 * the one-way delay, in order, by one timer.
 */
class Direction {
  private readonly waiting: Piece[] = [];
  private readonly inFlight: Piece[] = [];
  private linkFreeAt = 0;
  private sendTimer: NodeJS.Timeout | undefined;
  private deliverTimer: NodeJS.Timeout | undefined;
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
      this.deliver({ to, bytes, done, at: 0 });
      return;
    }
    const at = performance.now();
    // An empty piece (a half-close) still waits its turn behind the data before it.
    let offset = 0;
    do {
      const piece = bytes.subarray(offset, offset + PIECE_BYTES);
      offset += PIECE_BYTES;
      this.waiting.push({ to, bytes: piece, done: offset >= bytes.length ? done : () => {}, at });
    } while (offset < bytes.length);
    this.transmit();
  }

  /** Drops what a closed connection still had waiting for the link. */
  drop(to: net.Socket): void {
    for (let i = this.waiting.length - 1; i >= 0; i--)
      if (this.waiting[i]!.to === to) this.waiting.splice(i, 1);
  }

  private transmit(): void {
    if (this.sendTimer) return;
    const now = performance.now();
    while (this.waiting.length > 0) {
      const head = this.waiting[0]!;
      const start = Math.max(this.linkFreeAt, head.at);
      if (start > now) {
        this.sendTimer = setTimeout(() => {
          this.sendTimer = undefined;
          this.transmit();
        }, start - now);
        break;
      }
      this.waiting.shift();
      this.linkFreeAt = start + head.bytes.length / this.bytesPerMs;
      head.at = this.linkFreeAt + this.delayMs;
      this.inFlight.push(head);
    }
    this.arrive();
  }

  /** Hands over, in order, every piece whose time has come; sleeps until the next one. */
  private arrive(): void {
    if (this.deliverTimer) return;
    const now = performance.now();
    while (this.inFlight.length > 0 && this.inFlight[0]!.at <= now) this.deliver(this.inFlight.shift()!);
    if (this.inFlight.length === 0) return;
    this.deliverTimer = setTimeout(() => {
      this.deliverTimer = undefined;
      this.arrive();
    }, this.inFlight[0]!.at - now);
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
      if (queued <= HIGH_WATER_BYTES / 2 && from.isPaused() && !from.destroyed) from.resume();
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
