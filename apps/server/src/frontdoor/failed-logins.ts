import type { Request, RequestHandler, Response } from 'express';
import rateLimit from 'express-rate-limit';

/**
 * Holds off an address that keeps sending wrong passwords: requests carrying HTTP Basic
 * credentials that end in 401 count, `perMinute` of them in a minute are allowed, and then
 * every Basic request from that address gets `refuse` until the minute is over (the right
 * password too, so guessing cannot go on). Requests without Basic (tokens, the console's
 * cookie) are never counted nor held.
 */
export function failedLoginLimiter(perMinute: number, refuse: (req: Request, res: Response) => void): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    skip: (req) => !/^basic /i.test(req.headers.authorization ?? ''),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: refuse,
  });
}
