/**
 * A few module workers answering numbered requests: each request goes to the least busy worker, its reply is
 * matched by id, and a worker that fails fails only what it held. Workers start on first use (or `warm`) and
 * stop on `terminate` (lock, logout); they start again on the next request.
 * Each pool creates its own workers with a literal `new Worker(new URL(…), …)`, which is what Vite bundles.
 */
interface Slot {
  worker: Worker;
  busy: number;
}

interface Waiter<Reply> {
  slot: Slot;
  resolve: (reply: Reply) => void;
  reject: (error: unknown) => void;
}

export class WorkerPool<Request extends { id: number }, Reply extends { id: number }> {
  private slots: Slot[] = [];
  private readonly waiters = new Map<number, Waiter<Reply>>();
  private nextId = 1;

  constructor(
    private readonly createWorker: (index: number) => Worker,
    private readonly size: number,
    /** Names the pool in errors ("Thumbnail decryption"). */
    private readonly label: string,
  ) {}

  warm(): void {
    if (this.slots.length === 0) this.start();
  }

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      const worker = this.createWorker(i);
      const slot: Slot = { worker, busy: 0 };
      worker.onmessage = (event: MessageEvent<Reply>) => this.settle(slot, event.data);
      worker.onerror = (event) => this.fail(slot, new Error(`${this.label} worker failed: ${event.message}`));
      this.slots.push(slot);
    }
  }

  /**
   * Posts `request` (given its id) to the least busy worker. `queuedBehind` is how many requests that worker
   * was already holding.
   */
  post(
    request: (id: number) => Request,
    transfer: Transferable[] = [],
  ): { reply: Promise<Reply>; queuedBehind: number } {
    if (this.slots.length === 0) this.start();
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const queuedBehind = slot.busy++;
    const id = this.nextId++;
    const reply = new Promise<Reply>((resolve, reject) => {
      this.waiters.set(id, { slot, resolve, reject });
    });
    slot.worker.postMessage(request(id), transfer);
    return { reply, queuedBehind };
  }

  private settle(slot: Slot, reply: Reply): void {
    const waiter = this.waiters.get(reply.id);
    if (!waiter) return;
    this.waiters.delete(reply.id);
    slot.busy--;
    waiter.resolve(reply);
  }

  private fail(slot: Slot, error: Error): void {
    for (const [id, waiter] of this.waiters) {
      if (waiter.slot !== slot) continue;
      this.waiters.delete(id);
      slot.busy--;
      waiter.reject(error);
    }
  }

  terminate(): void {
    for (const slot of this.slots) {
      slot.worker.terminate();
      this.fail(slot, new Error(`${this.label} stopped`));
    }
    this.slots = [];
  }
}
