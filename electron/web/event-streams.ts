import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../../src-core/rules';
import type { EventBus } from '../app/events';

const HEARTBEAT_MS = 15_000;

/** The open server-sent event streams (route `events.stream`), each fed every bus event by name. */
export class EventStreams {
  /** Open streams and how to stop feeding each one. */
  private readonly streams = new Map<ServerResponse, () => void>();

  constructor(private readonly bus: EventBus) {}

  open(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = this.bus.subscribe((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    // Also run before the server ends the stream: a write after end (events of tasks cancelled on close) throws uncaught.
    const stop = (): void => {
      unsubscribe();
      clearInterval(heartbeat);
      this.streams.delete(res);
    };
    this.streams.set(res, stop);
    req.on('close', stop);
  }

  closeAll(): void {
    for (const [res, stop] of this.streams) {
      stop();
      res.end();
    }
  }
}
