/** Push and pull of snapshots through OCI registries, in epoch's snapshot artifact format. */
export { parseReference, parseRegistryHost, formatRef, isLoopbackRegistry, type RegistryRef } from './reference';
export { RegistryClient } from './client';
export { openRegistry, login, logout, type SessionOptions } from './session';
export { dockerConfigPath, loadCredentials, type Credentials } from './docker-config';
export { pushSnapshot, type PushOptions, type PushResult } from './push';
export { planPull, runPull, pullSnapshot, type PullPlan, type PullPreview, type PullOptions } from './pull';
export { DigestCache } from './digest-cache';
