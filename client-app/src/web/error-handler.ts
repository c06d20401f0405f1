/**
 * The one place where failures become responses: classify, look up the catalogue entry, log, render.
 * Never a stack trace on the page; the log line carries the request id the page shows.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { lookup } from '../error-catalogue.ts';
import { classify, FlowFailure, RpError } from '../errors.ts';
import { errorPage } from './views/error.ts';

export const notFound: RequestHandler = (req) => {
  throw new RpError('ERR_NOT_FOUND', `no route for ${req.method} ${req.path}`);
};

export const errorHandler: ErrorRequestHandler = async (err: unknown, req, res, _next) => {
  const failure = await classify(err);
  const entry = lookup(failure.key);
  const steps = err instanceof FlowFailure ? err.steps : [];
  const fields = { key: entry.key, code: failure.code, check: failure.check, providerStatus: failure.providerStatus, detail: failure.detail };
  // Unexplained failures get the stack trace, in the log only; explained ones are expected outcomes.
  if (entry.key === 'UNEXPECTED') req.log.error({ ...fields, err }, 'request failed');
  else req.log.warn(fields, 'request failed');
  if (res.headersSent) return;
  res
    .status(entry.status)
    .type('html')
    .send(errorPage({ entry, failure, steps, requestId: req.id, signedIn: Boolean(req.session?.auth) }));
};
