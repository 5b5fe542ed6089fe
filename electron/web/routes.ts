import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodError } from 'zod';
import { SnapDeskError, toErrorData } from '../../src-core/errors';
import type { AppContext } from '../app/app-context';
import { isCallName, routes, type Envelope, type RouteInput, type RouteResult } from '../app/contract';
import { invokeEnveloped } from '../app/envelope';
import { invalidInput } from '../app/handlers';
import { HTTP_ROUTES, TICKET_PARAM, type RouteName } from '../app/http-routes';
import type { TicketPurpose, WebSessions } from './auth';
import type { EventStreams } from './event-streams';
import type { WebHost } from './host';
import { HttpError, readJsonBody, sendJson } from './http';
import type { UploadBudget } from './upload-budget';
import { checkUploads, receiveUpload, uploadRequestInput } from './uploads';

export interface RouteDeps {
  context: AppContext<WebHost>;
  sessions: WebSessions;
  budget: UploadBudget;
  uploadDir: string;
  events: EventStreams;
  /** Quiet time after which an upload in progress is dropped. */
  uploadQuietMs: number;
}

/** A route's work: a JSON result (sent as an envelope), or a response it writes itself (streams). */
type RouteHandler<R extends RouteName> = (input: RouteInput<R>, req: IncomingMessage, res: ServerResponse) => Promise<RouteResult<R> | typeof WRITTEN>;
type RouteHandlers = { [R in RouteName]: RouteHandler<R> };

/** Returned by a handler that answered the request itself. */
const WRITTEN = Symbol('written');

const notSignedIn = (): HttpError => new HttpError(401, new SnapDeskError('invalid_input', 'not signed in: open the address printed by the server'));

function handlers(deps: RouteDeps): RouteHandlers {
  const { context, sessions } = deps;
  return {
    'session.open': async ({ token }) => {
      const secret = sessions.open(token);
      if (!secret) throw new HttpError(401, new SnapDeskError('invalid_input', 'that is not the token this server printed: open the address it printed'));
      return { secret };
    },
    'tickets.issue': async (input) => ({ ticket: sessions.issueTicket(input) }),
    'calls.invoke': async ({ name, input }) => {
      if (!isCallName(name)) throw new HttpError(404, new SnapDeskError('invalid_input', `unknown call: ${name}`));
      return invokeEnveloped(context.handlers, name, input);
    },
    'uploads.check': (input) => checkUploads(input, deps.budget),
    'uploads.send': (input, req) => receiveUpload(req, input, deps.uploadDir, context.archives, deps.budget, deps.uploadQuietMs),
    'exports.download': async ({ taskId }, _req, res) => {
      if (!(await context.host.downloads.serve(taskId, res))) {
        throw new HttpError(404, new SnapDeskError('not_found', 'no export is waiting for this download (it may have finished or been cancelled)'));
      }
      return WRITTEN;
    },
    'events.stream': async (_input, req, res) => {
      deps.events.open(req, res);
      return WRITTEN;
    },
  };
}

/** The longest body a request that has not signed in yet may send (session.open: a token). */
const UNSIGNED_JSON_BYTES = 4 * 1024;

/** The raw input of a request, gathered from where the route's declaration says it is. */
async function rawInput(route: RouteName, req: IncomingMessage, url: URL, params: Record<string, string>): Promise<unknown> {
  const spec = HTTP_ROUTES[route];
  if (route === 'calls.invoke') return { name: params.name, input: await readJsonBody(req) };
  const ticket = spec.auth === 'ticket' ? { ticket: url.searchParams.get(TICKET_PARAM) ?? '' } : {};
  // Before sign-in a body is read only as far as a token needs: a stranger cannot make the server read a megabyte.
  if (spec.body === 'json') return { ...((await readJsonBody(req, spec.auth === 'token' ? UNSIGNED_JSON_BYTES : undefined)) as object), ...params };
  if (spec.body === 'file') return uploadRequestInput(req);
  return { ...params, ...ticket };
}

const ticketPurpose = (route: RouteName, input: { taskId?: string }): TicketPurpose =>
  route === 'exports.download' ? { purpose: 'download', taskId: input.taskId ?? '' } : { purpose: 'events' };

/**
 * Serves one API request: checks it is signed in as its route demands,
 * validates its input against the contract, runs the route, and answers a
 * JSON result as an envelope. `onSignedIn` hears when the request proved
 * who sent it (the server then stops timing the connection out).
 */
export function createRouter(deps: RouteDeps, onSignedIn: (req: IncomingMessage) => void) {
  const table = handlers(deps);
  return async (route: RouteName, params: Record<string, string>, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const spec = HTTP_ROUTES[route];
    if (spec.auth === 'session') {
      if (!deps.sessions.isSignedIn(req.headers.authorization)) throw notSignedIn();
      onSignedIn(req);
    }
    // A refusal in words (an envelope) for everything but sign-in failures and malformed requests.
    const refuse = (err: unknown): void => {
      if (err instanceof HttpError) throw err;
      // Refused while a body may still be arriving: answer, then close rather than read gigabytes.
      if (spec.body === 'file') res.setHeader('Connection', 'close');
      sendJson(res, 200, { ok: false, error: toErrorData(err) } satisfies Envelope<never>);
    };
    let raw: unknown;
    try {
      raw = await rawInput(route, req, url, params);
    } catch (err) {
      return refuse(err);
    }
    const parsed = routes[route].input.safeParse(raw);
    if (!parsed.success) {
      const err = invalidInput(route, parsed.error as ZodError);
      return refuse(spec.auth === 'session' ? err : new HttpError(spec.auth === 'ticket' ? 401 : 400, err));
    }
    const input = parsed.data as RouteInput<typeof route>;
    if (spec.auth === 'ticket') {
      if (!deps.sessions.redeemTicket((input as { ticket: string }).ticket, ticketPurpose(route, input as { taskId?: string }))) {
        throw new HttpError(401, new SnapDeskError('invalid_input', 'this link has expired or was used already; start it again from the page'));
      }
      onSignedIn(req);
    }
    const run = table[route] as RouteHandler<RouteName>;
    let result: unknown;
    try {
      result = await run(input, req, res);
    } catch (err) {
      return refuse(err);
    }
    if (result === WRITTEN) return;
    // A call's answer is an envelope already (its handler's error is a result, not a refusal).
    sendJson(res, 200, route === 'calls.invoke' ? result : ({ ok: true, result } satisfies Envelope<unknown>));
  };
}
