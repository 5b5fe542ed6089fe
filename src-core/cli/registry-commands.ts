/**
 * snapdesk's registry commands: login, logout, push, pull, tags. Secrets
 * are read from stdin (or typed at a terminal without echo), never taken
 * from argv; progress goes to stderr; stdout carries only what scripts
 * want (the manifest digest of a push, the new ID of a pull, tags).
 */
import type { ReadStream } from 'node:tty';
import { SnapDeskError } from '../errors';
import type { Credentials } from '../registry/docker-config';
import { pushSnapshot } from '../registry/push';
import { planPull, runPull } from '../registry/pull';
import { parseReference, parseRegistryHost, formatRef } from '../registry/reference';
import { login, logout, openRegistry } from '../registry/session';
import { progressBar } from './archive-commands';
import { parseCommandArgs, stringOpt, usageError } from './args';
import type { CliCommand, CliContext } from './command';
import { formatBytes } from '../rules';
import { terminalLine } from './format';

const MAX_SECRET_BYTES = 64 * 1024;

/** All of stdin, trimmed of its trailing newline (docker's --password-stdin). */
async function readSecretFromStdin(ctx: CliContext): Promise<string> {
  let text = '';
  for await (const chunk of ctx.stdin) {
    text += String(chunk);
    if (text.length > MAX_SECRET_BYTES) throw new SnapDeskError('invalid_input', 'the secret on stdin is implausibly long');
  }
  return text.replace(/\r?\n$/, '');
}

/** Asks at the terminal with echo off. */
function promptHidden(ctx: CliContext, question: string): Promise<string> {
  const tty = ctx.stdin as ReadStream;
  if (!tty.isTTY || typeof tty.setRawMode !== 'function') {
    return Promise.reject(new SnapDeskError('invalid_input', 'no terminal to ask for the password: pipe it in with --password-stdin'));
  }
  ctx.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    tty.setRawMode(true);
    tty.resume();
    const finish = (err: SnapDeskError | null): void => {
      tty.setRawMode(false);
      tty.pause();
      tty.off('data', onData);
      ctx.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: Buffer): void => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') return finish(new SnapDeskError('cancelled', 'login cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    tty.on('data', onData);
  });
}

const loginCommand: CliCommand = {
  name: 'login',
  usage: 'login REGISTRY [-u USER] [--password-stdin | --token-stdin] [--plain-http]',
  summary: 'Check credentials with a registry and save them in the docker config ($DOCKER_CONFIG or ~/.docker/config.json, mode 0600)',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { username: { type: 'string', short: 'u' }, 'password-stdin': { type: 'boolean' }, 'token-stdin': { type: 'boolean' }, 'plain-http': { type: 'boolean' } },
      this.usage,
    );
    if (positionals.length !== 1) throw usageError('login takes exactly one REGISTRY', this.usage);
    const registry = parseRegistryHost(positionals[0]!);
    let credentials: Credentials;
    if (values['token-stdin']) {
      if (values['password-stdin'] || values.username !== undefined) throw usageError('--token-stdin takes no user or password', this.usage);
      credentials = { registryToken: await readSecretFromStdin(ctx) };
    } else {
      const username = stringOpt(values.username);
      if (username === undefined || username === '') throw usageError('login needs -u USER (or --token-stdin for a bearer token)', this.usage);
      const password = values['password-stdin'] ? await readSecretFromStdin(ctx) : await promptHidden(ctx, `password for ${username}@${registry}: `);
      credentials = { username, password };
    }
    if (Object.values(credentials).some((v) => v === '')) throw new SnapDeskError('invalid_input', 'the password or token is empty');
    await login(registry, credentials, { env: ctx.env, plainHttp: Boolean(values['plain-http']) });
    ctx.stderr.write(terminalLine(`signed in to ${registry}`));
    return 0;
  },
};

const logoutCommand: CliCommand = {
  name: 'logout',
  usage: 'logout REGISTRY',
  summary: 'Forget the credentials saved for a registry',
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, this.usage);
    if (positionals.length !== 1) throw usageError('logout takes exactly one REGISTRY', this.usage);
    const registry = parseRegistryHost(positionals[0]!);
    const removed = await logout(registry, { env: ctx.env });
    ctx.stderr.write(terminalLine(removed ? `signed out of ${registry}` : `not signed in to ${registry}`));
    return 0;
  },
};

const pushCommand: CliCommand = {
  name: 'push',
  cancellable: true,
  usage: 'push REF REGISTRY/REPO[:TAG] [--base-image REF] [--plain-http]',
  summary: "Upload a snapshot to an OCI registry in epoch's snapshot format (tag defaults to latest); prints the manifest digest",
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { 'base-image': { type: 'string' }, 'plain-http': { type: 'boolean' } }, this.usage);
    if (positionals.length !== 2) throw usageError('push takes a snapshot REF and a REGISTRY/REPO[:TAG]', this.usage);
    const target = parseReference(positionals[1]!, { allowDigest: false });
    const snapshot = await ctx.store.inspect(positionals[0]!);
    const client = await openRegistry(target.registry, { env: ctx.env, plainHttp: Boolean(values['plain-http']) });
    const bar = progressBar(ctx, 'pushing');
    try {
      const baseImage = stringOpt(values['base-image']);
      const result = await pushSnapshot(ctx.store, snapshot.id, target, client, {
        signal: ctx.signal,
        env: ctx.env,
        ...(baseImage ? { baseImage } : {}),
        ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
      });
      bar.done();
      ctx.stderr.write(
        terminalLine(
          `pushed ${snapshot.name || snapshot.id} to ${result.reference}: ${result.layers} layers, ${formatBytes(result.dataBytes)} ` +
            `(${formatBytes(result.uploadedBytes)} uploaded, ${formatBytes(result.reusedBytes)} already there)`,
        ),
      );
      ctx.stdout.write(terminalLine(`${result.digest}`));
    } finally {
      bar.done();
    }
    return 0;
  },
};

const pullCommand: CliCommand = {
  name: 'pull',
  cancellable: true,
  usage: 'pull REGISTRY/REPO[:TAG|@sha256:DIGEST] [--name N] [--description D] [--plain-http]',
  summary: 'Download a snapshot from an OCI registry into the store (name defaults to the last part of REPO); prints its ID',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { name: { type: 'string' }, description: { type: 'string' }, 'plain-http': { type: 'boolean' } }, this.usage);
    if (positionals.length !== 1) throw usageError('pull takes exactly one REGISTRY/REPO[:TAG|@DIGEST]', this.usage);
    const target = parseReference(positionals[0]!);
    const name = stringOpt(values.name);
    const description = stringOpt(values.description);
    const client = await openRegistry(target.registry, { env: ctx.env, plainHttp: Boolean(values['plain-http']) });
    const bar = progressBar(ctx, 'pulling');
    try {
      const plan = await planPull(client, target, ctx.store, { ...(name ? { name } : {}), signal: ctx.signal });
      const p = plan.preview;
      const facts = [p.config.hypervisor, p.config.cpu ? `${p.config.cpu} CPU` : null, p.config.memory ? `${formatBytes(p.config.memory)} memory` : null, `${formatBytes(p.dataSize)} data`]
        .filter(Boolean)
        .join(', ');
      ctx.stderr.write(terminalLine(`${formatRef(target)} → "${p.config.name}" (${facts}; ${formatBytes(p.downloadBytes)} to download)`));
      if (p.nameTaken) {
        throw new SnapDeskError('name_conflict', `a snapshot named "${p.config.name}" already exists; pull again with --name ${p.suggestedName ?? 'ANOTHER-NAME'}`, { name: p.config.name });
      }
      const id = await runPull(client, plan, ctx.store, {
        ...(name ? { name } : {}),
        ...(description ? { description } : {}),
        signal: ctx.signal,
        ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
      });
      bar.done();
      ctx.stdout.write(terminalLine(`${id}`));
    } finally {
      bar.done();
    }
    return 0;
  },
};

const tagsCommand: CliCommand = {
  name: 'tags',
  usage: 'tags REGISTRY/REPO [--plain-http]',
  summary: 'List the tags of a registry repository, one per line',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { 'plain-http': { type: 'boolean' } }, this.usage);
    if (positionals.length !== 1) throw usageError('tags takes exactly one REGISTRY/REPO', this.usage);
    const target = parseReference(positionals[0]!, { repositoryOnly: true });
    const client = await openRegistry(target.registry, { env: ctx.env, plainHttp: Boolean(values['plain-http']) });
    const tags = await client.listTags(target.repository);
    ctx.stdout.write(tags.map((t) => terminalLine(t)).join(''));
    return 0;
  },
};

/** login, logout, push, pull, tags. */
export const registryCommands: CliCommand[] = [loginCommand, logoutCommand, pushCommand, pullCommand, tagsCommand];
