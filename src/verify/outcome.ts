/** Small constructors for check outcomes, so each check reads as a list of cases. */
import type { CheckOutcome, DashboardLocation } from './types.ts';

type Details = Record<string, unknown>;

export const pass = (seen: string, details?: Details): CheckOutcome => ({ status: 'pass', seen, ...(details ? { details } : {}) });

export const fail = (seen: string, fix: string, where?: DashboardLocation, details?: Details): CheckOutcome => ({
  status: 'fail',
  seen,
  fix,
  ...(where ? { where } : {}),
  ...(details ? { details } : {}),
});

export const warn = (seen: string, fix: string, where?: DashboardLocation, details?: Details): CheckOutcome => ({
  status: 'warn',
  seen,
  fix,
  ...(where ? { where } : {}),
  ...(details ? { details } : {}),
});

/** Not run because an optional input is missing; `fix` says which input turns it on. */
export const skip = (seen: string, fix?: string): CheckOutcome => ({ status: 'skip', seen, ...(fix ? { fix } : {}) });
