/**
 * A tiny toast store: `toast.error(message)` from anywhere, rendered by the `Toaster`
 * component in components/ui. Kept outside React so non-component code can use it.
 */
export type ToastKind = 'error' | 'success' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

type Listener = () => void;

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<Listener>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function emit() {
  for (const listener of listeners) listener();
}

export function dismissToast(id: number): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

function show(kind: ToastKind, message: string, durationMs = kind === 'error' ? 8000 : 4000): number {
  const id = nextId++;
  // The same message twice in a row is shown once.
  toasts = [...toasts.filter((t) => t.message !== message).slice(-3), { id, kind, message }];
  timers.set(id, setTimeout(() => dismissToast(id), durationMs));
  emit();
  return id;
}

export const toast = {
  error: (message: string) => show('error', message),
  success: (message: string) => show('success', message),
  info: (message: string) => show('info', message),
};

export function subscribeToasts(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getToasts(): readonly Toast[] {
  return toasts;
}
