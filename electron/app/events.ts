import type { EventName, EventPayloads } from './contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/**
 * Fans main-process events out to every transport attached (the window's
 * webContents, SSE clients). A failing listener never stops the others.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, payload);
      } catch (err) {
        console.error(`snapdesk: event listener for ${event} failed:`, err);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
