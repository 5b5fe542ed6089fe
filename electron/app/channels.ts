/**
 * Call and event names without their schemas, so the sandboxed preload and
 * the browser client can name channels without bundling zod. `contract.ts`
 * checks at compile time that these lists match its `calls` table exactly.
 */

export const CALL_NAMES = [
  'app.info',
  'snapshots.list',
  'snapshots.inspect',
  'snapshots.delete',
  'snapshots.rename',
  'snapshots.gc',
  'snapshots.export',
  'snapshots.showInFolder',
  'archives.pick',
  'archives.register',
  'archives.release',
  'archives.takeOpened',
  'archives.preview',
  'archives.import',
  'archives.verify',
  'tasks.list',
  'tasks.cancel',
  'tasks.clear',
  'tasks.showInFolder',
  'settings.get',
  'settings.chooseRoot',
  'settings.resetRoot',
  'registry.preview',
  'registry.pull',
  'registry.push',
  'registry.login',
  'registry.logout',
  'registry.tags',
  'trash.list',
  'trash.move',
  'trash.restore',
  'trash.deleteForever',
  'trash.empty',
  'trash.setSettings',
] as const;

export type CallNameList = (typeof CALL_NAMES)[number];

export const EVENT_NAMES = ['store.changed', 'task.updated', 'menu.command', 'archives.opened', 'trash.changed'] as const;

export type EventNameList = (typeof EVENT_NAMES)[number];

/** IPC channel for a call or event: derived, never written by hand. */
export const channelOf = (name: CallNameList | EventNameList): string => `snapdesk:${name}`;

export const isKnownCall = (name: unknown): name is CallNameList => typeof name === 'string' && (CALL_NAMES as readonly string[]).includes(name);

export const isKnownEvent = (name: unknown): name is EventNameList => typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
