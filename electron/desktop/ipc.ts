import { SnapDeskError } from '../../src-core/errors';
import { CALL_NAMES, channelOf, type Envelope } from '../app/contract';
import { invokeEnveloped } from '../app/envelope';
import type { EventBus } from '../app/events';
import type { Handlers } from '../app/handlers';
import type { IpcSenderEvent } from './security';

/** What registerIpc needs of ipcMain. */
export interface IpcRegistrar {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

const refused: Envelope<never> = {
  ok: false,
  error: new SnapDeskError('invalid_input', 'refused: the call did not come from the Snapshot Desk window').toData(),
};

/**
 * One handler per call of the contract (and no other channel), each
 * answering only trusted senders with an Envelope. Returns an unregister.
 */
export function registerIpc(ipcMain: IpcRegistrar, handlers: Handlers, isTrustedSender: (event: IpcSenderEvent) => boolean): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(channelOf(name), async (event, input) => {
      if (!isTrustedSender(event)) {
        console.warn(`snapdesk: refused ${name} from ${event.senderFrame?.url ?? 'an unknown frame'}`);
        return refused;
      }
      return invokeEnveloped(handlers, name, input);
    });
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(channelOf(name));
  };
}

/** What forwardEvents needs of a webContents. */
export interface EventSink {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/** Sends every bus event to the window on its derived channel. */
export function forwardEvents(bus: EventBus, target: EventSink): () => void {
  return bus.subscribe((event, payload) => {
    if (!target.isDestroyed()) target.send(channelOf(event), payload);
  });
}
