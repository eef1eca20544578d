/** What happens to an album that other parts of the SDK follow up on, with what each event carries. */
export interface AlbumEventArgs {
  /** A file of ours was placed in one of our albums (added, or uploaded into it). */
  placed: [albumId: string, fileId: string];
  /** We shared the album with someone new (members trust only signed placements). */
  shared: [albumId: string];
  /** Members were added, changed or removed (link rosters name the contributors). */
  membersChanged: [albumId: string];
}

export type AlbumEvent = keyof AlbumEventArgs;

/**
 * The follow-ups of album changes, so that the library, sharing, shared files and links need not hold each
 * other (they form cycles): each object that follows up registers itself when it is built, and the one that
 * made the change waits for every follow-up, in the order they were registered.
 */
export class AlbumEvents {
  private readonly listeners: { [E in AlbumEvent]: ((...args: AlbumEventArgs[E]) => Promise<unknown>)[] } = {
    placed: [],
    shared: [],
    membersChanged: [],
  };

  on<E extends AlbumEvent>(event: E, listener: (...args: AlbumEventArgs[E]) => Promise<unknown>): void {
    this.listeners[event].push(listener);
  }

  async emit<E extends AlbumEvent>(event: E, ...args: AlbumEventArgs[E]): Promise<void> {
    for (const listener of this.listeners[event]) await listener(...args);
  }
}
