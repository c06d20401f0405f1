/**
 * The vocabulary of `verify`: a check is one module with an id, a title, whether it is required, the checks it
 * needs, and a `run` that looks at the project and returns what it saw. The pipeline (./index.ts) times each run
 * and turns outcomes into results; reporters (./report/) only read results.
 */
import type { VerifyContext } from './context.ts';

/**
 * - `pass` ✔ the configuration is right.
 * - `fail` ✖ it is wrong; a required check that fails makes the exit code 1.
 * - `warn` ⚠ it works, but is fragile, or not what you said you expected.
 * - `skip` – not run: a check it needs did not pass (that check's ✖ says why), or an optional input is missing
 *   (e.g. no STYTCH_SECRET, no test user); the line says which. A skip never changes the exit code.
 */
export type Status = 'pass' | 'fail' | 'warn' | 'skip';

/** Where in the Stytch Dashboard a fix is made (see ./dashboard.ts). */
export interface DashboardLocation {
  /** Menu path as people see it, e.g. "Connected Apps › <your app> › Redirect URLs". */
  path: string;
  url: string;
}

/** What a check returns. `seen` states the facts; `fix` says what to change, `where` where to change it. */
export interface CheckOutcome {
  status: Status;
  seen: string;
  fix?: string;
  where?: DashboardLocation;
  /** Machine-readable facts for `--json` (never a secret or a token in full). */
  details?: Record<string, unknown>;
}

export interface Check {
  /** Stable, dotted, e.g. `client.redirect-uri`; used in JSON, JUnit and tests. */
  id: string;
  title: string;
  /** A required check that fails makes `verify` exit with 1; an advisory one only warns. */
  required: boolean;
  /** Ids of checks whose facts this one reads: it runs only if they passed (or warned). */
  needs?: readonly string[];
  /**
   * Ids of checks that make this one pointless when they fail (a login with an unregistered redirect_uri), but
   * whose absence does not (they may have been skipped for want of an optional input).
   */
  pointlessIf?: readonly string[];
  run(ctx: VerifyContext): Promise<CheckOutcome>;
}

export interface CheckResult extends CheckOutcome {
  id: string;
  title: string;
  required: boolean;
  durationMs: number;
}

export interface VerifyReport {
  /** What was checked, with secrets redacted. */
  target: {
    mode: 'emulator' | 'project';
    issuer: string | undefined;
    projectId: string | undefined;
    clientId: string;
    redirectUri: string;
    scopes: string[];
  };
  results: CheckResult[];
  summary: { passed: number; failed: number; warnings: number; skipped: number; requiredFailed: number; durationMs: number };
  /** True when every required check passed (the exit code is 0). */
  ok: boolean;
}
