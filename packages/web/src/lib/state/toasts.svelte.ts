export interface Toast {
  id: number;
  message: string;
  kind: "info" | "error";
  action?: { label: string; run: () => void | Promise<void> };
}

let nextId = 1;

class Toasts {
  list = $state<Toast[]>([]);

  show(
    message: string,
    options: { kind?: Toast["kind"]; action?: Toast["action"]; ms?: number } = {},
  ): number {
    const id = nextId++;
    this.list = [...this.list, { id, message, kind: options.kind ?? "info", action: options.action }];
    setTimeout(() => this.dismiss(id), options.ms ?? (options.action ? 8000 : 4000));
    return id;
  }

  error(error: unknown): void {
    this.show(describeError(error), { kind: "error", ms: 7000 });
  }

  dismiss(id: number): void {
    this.list = this.list.filter((t) => t.id !== id);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export const toasts = new Toasts();
