/** Stable codes of what the client detected and refused or could not verify; the CLI prints `warning: …`. */
export type WarningCode =
  /** A record failed authentication and was skipped (the rest of the view works). */
  | "RECORD_REJECTED"
  /** The server served an older album key (or grant) than this device has seen. */
  | "KEY_ROLLBACK"
  /** The sync feed went back: an older cursor, checkpoint or file state than this device has seen. */
  | "SYNC_ROLLBACK"
  /** The files the server lists differ from the library's own authenticated checkpoint. */
  | "LIBRARY_MISMATCH"
  /** The server no longer presents this account's sharing identity; it is not replaced silently. */
  | "IDENTITY_MISSING";

export interface ClientWarning {
  code: WarningCode;
  /** Plain words for a person. */
  message: string;
  /** What it is about (a file, album or user id), when there is one. */
  subject?: string;
}

/** Warnings raised while the vault is unlocked: kept (each once) and told to listeners as they come. */
export class Warnings {
  private readonly seen = new Map<string, ClientWarning>();
  private readonly listeners = new Set<(warning: ClientWarning) => void>();

  get list(): ClientWarning[] {
    return [...this.seen.values()];
  }

  /** Calls `listener` for every new warning; returns the function that stops it. */
  on(listener: (warning: ClientWarning) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(warning: ClientWarning): void {
    const key = `${warning.code}:${warning.subject ?? ""}:${warning.message}`;
    if (this.seen.has(key)) return;
    this.seen.set(key, warning);
    for (const listener of this.listeners) listener(warning);
  }
}
