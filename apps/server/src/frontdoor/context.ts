import type { Request, Response } from 'express';
import type { OciError, V2ImageTarget } from '@berth/oci';
import type { Identity } from '../services/identity.ts';
import type { Caller } from './authenticate.ts';

/** One /v2 request on an image, after authentication and parsing. */
export interface V2Context {
  req: Request;
  res: Response;
  caller: Caller;
  /** Set once the access check passed; checks after it and handlers may rely on it. */
  identity: Identity;
  target: V2ImageTarget;
  /** The request body read whole (a manifest, at most 4 MiB), read once however often asked. */
  body: () => Promise<Buffer>;
}

/** One decision about a request: an OCI error to answer, or null to go on. */
export type Check = (ctx: V2Context) => OciError | null | Promise<OciError | null>;

/** What a route does once every check passed: answer the client. */
export type Handler = (ctx: V2Context) => Promise<void>;
