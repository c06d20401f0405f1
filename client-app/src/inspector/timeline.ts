/**
 * The flow inspector's timeline: one entry per step of a login (and of later refreshes, userinfo calls and the
 * logout). Entries hold what a person needs to understand the flow — parameters, decoded tokens, check results —
 * and never a usable secret: token values are redacted before they get here.
 */
import type { Failure } from '../errors.ts';
import type { RecordedExchange, Trace } from './trace.ts';
import type { IdTokenReport } from './id-token-report.ts';

export type StepStatus = 'ok' | 'failed' | 'info';

interface StepBase {
  /** Epoch milliseconds. */
  at: number;
  title: string;
  status: StepStatus;
}

export interface Param {
  name: string;
  value: string;
  note?: string | undefined;
}

export type Step =
  | (StepBase & { kind: 'authorization_request'; endpoint: string; params: Param[] })
  | (StepBase & { kind: 'callback'; params: Param[] })
  | (StepBase & { kind: 'http'; exchange: RecordedExchange })
  | (StepBase & { kind: 'id_token'; report: IdTokenReport })
  | (StepBase & { kind: 'claims'; claims: Record<string, unknown> })
  | (StepBase & { kind: 'error'; failure: Failure })
  | (StepBase & { kind: 'note'; text: string });

/** Names an HTTP exchange after the endpoint it went to, using the provider's metadata. */
export function exchangeTitle(exchange: RecordedExchange, endpoints: Record<string, string | undefined>): string {
  const url = exchange.url.split('?')[0];
  const names: Record<string, string> = {
    token_endpoint: 'Token endpoint',
    userinfo_endpoint: 'UserInfo endpoint',
    revocation_endpoint: 'Revocation endpoint',
    jwks_uri: 'JWKS (signing keys)',
    introspection_endpoint: 'Introspection endpoint',
  };
  for (const [key, label] of Object.entries(names)) {
    if (endpoints[key] === url) {
      const grant = exchange.requestBody?.find(([k]) => k === 'grant_type')?.[1];
      return grant ? `${label}: ${grant}` : label;
    }
  }
  if (url?.endsWith('/.well-known/openid-configuration') || url?.endsWith('/.well-known/oauth-authorization-server')) return 'Discovery';
  return `${exchange.method} ${url}`;
}

/** Turns what a trace recorded into timeline steps. */
export function traceSteps(trace: Trace, endpoints: Record<string, string | undefined>): Step[] {
  return trace.exchanges.map((exchange) => ({
    kind: 'http' as const,
    at: exchange.at,
    title: exchangeTitle(exchange, endpoints),
    status: exchange.error || (exchange.status ?? 0) >= 400 ? ('failed' as const) : ('ok' as const),
    exchange,
  }));
}

export function errorStep(failure: Failure, title: string): Step {
  return { kind: 'error', at: Date.now(), title, status: 'failed', failure };
}

export function noteStep(title: string, text: string, status: StepStatus = 'info'): Step {
  return { kind: 'note', at: Date.now(), title, status, text };
}
