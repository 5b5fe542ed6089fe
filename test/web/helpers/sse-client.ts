import type { EventSourceLike } from '../../../renderer/api/web-client';

/**
 * A small EventSource for Node tests (Node has none): the same
 * text/event-stream parsing, over fetch; the URL carries its ticket.
 */
export class TestEventSource implements EventSourceLike {
  private readonly listeners = new Map<string, Set<(e: { data: string }) => void>>();
  private readonly abort = new AbortController();
  readonly opened: Promise<void>;
  /** The HTTP status the stream was answered with (0 until then). */
  status = 0;

  constructor(url: string) {
    let ready: () => void = () => undefined;
    this.opened = new Promise((r) => {
      ready = r;
    });
    void this.run(url, ready).catch(() => this.fire('error', ''));
  }

  private async run(url: string, ready: () => void): Promise<void> {
    const res = await fetch(url, { signal: this.abort.signal });
    this.status = res.status;
    if (!res.ok || !res.body) throw new Error(`SSE refused: ${res.status}`);
    ready();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length > 0) this.listeners.get(event)?.forEach((l) => l({ data: data.join('\n') }));
      }
    }
  }

  addEventListener(type: string, listener: (e: { data: string }) => void): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }

  removeEventListener(type: string, listener: (e: { data: string }) => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.abort.abort();
  }

  private fire(type: string, data: string): void {
    if (!this.abort.signal.aborted) this.listeners.get(type)?.forEach((l) => l({ data }));
  }
}
