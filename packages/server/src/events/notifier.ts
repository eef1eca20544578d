/**
 * What an open event stream is told. `changed` carries only a hint of what to sync again (never a record: the
 * client fetches through the authenticated routes it already checks); `signedOut` ends the stream.
 */
export interface ChangeListener {
  readonly userId: string;
  readonly sessionId: string;
  changed(kind: ChangeKind): void;
  signedOut(): void;
  /** Ends the stream without a word (the server is stopping). */
  close(): void;
}

/**
 * - `library`: the user's own files or albums changed (sync again once the device that made the change wrote the
 *   checkpoint, or after a quiet spell);
 * - `checkpoint`: a device wrote the library checkpoint (its change is complete: sync now);
 * - `shared`: albums shared with or by the user (members, their files, key rotation, links);
 * - `sessions`: the user's list of sessions.
 */
export type ChangeKind = "library" | "checkpoint" | "shared" | "sessions";

/** Which of a user's sessions a revocation ends. */
export type Revoked = { only: string } | { allBut: string } | "all";

/**
 * The in-process fan-out from the routes that commit a change to the event streams open on this server
 * (`GET /api/events`). One process holds every stream, so no broker is needed; a server behind several processes
 * would publish these calls to the others.
 */
export class Notifier {
  private readonly byUser = new Map<string, Set<ChangeListener>>();

  /** Adds a stream; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void {
    let set = this.byUser.get(listener.userId);
    if (!set) {
      set = new Set();
      this.byUser.set(listener.userId, set);
    }
    set.add(listener);
    return () => {
      const current = this.byUser.get(listener.userId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.byUser.delete(listener.userId);
    };
  }

  /** Tells every stream of these users; `origin` (the session that made the change) already knows. */
  changed(userIds: Iterable<string>, kind: ChangeKind, origin?: string): void {
    for (const userId of new Set(userIds)) {
      for (const listener of [...(this.byUser.get(userId) ?? [])]) {
        if (listener.sessionId !== origin) listener.changed(kind);
      }
    }
  }

  /** The streams of revoked sessions are told and closed; the user's other streams hear `sessions`. */
  revoked(userId: string, which: Revoked): void {
    for (const listener of [...(this.byUser.get(userId) ?? [])]) {
      const ended =
        which === "all" ||
        ("only" in which ? listener.sessionId === which.only : listener.sessionId !== which.allBut);
      if (ended) listener.signedOut();
      else listener.changed("sessions");
    }
  }

  /** Streams open, for tests and shutdown. */
  get size(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  /** Ends every open stream (the server is stopping: clients reconnect to the next one). */
  closeAll(): void {
    for (const set of [...this.byUser.values()]) for (const listener of [...set]) listener.close();
  }
}
