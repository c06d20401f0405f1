/**
 * The emulator's fault switch, as the conformance run uses it: the admin endpoint (`/emulator/...`, Basic auth
 * with the project id and secret). Every failure to reach or use it becomes a `ConformanceError` that says what
 * to do, before any browser starts.
 */
import { CodedError, errorMessage } from '../shared/errors.ts';
import type { ProjectType } from '../shared/project.ts';
import type { FaultName } from '../emulator/index.ts';

export type ConformanceErrorCode =
  | 'ERR_EMULATOR_UNREACHABLE'
  | 'ERR_NOT_AN_EMULATOR'
  | 'ERR_EMULATOR_CREDENTIALS'
  | 'ERR_UNKNOWN_CLIENT'
  | 'ERR_RP_UNREACHABLE'
  | 'ERR_BROWSER_LAUNCH';

/** The run could not start (exit 2): the message says what to fix. */
export class ConformanceError extends CodedError<ConformanceErrorCode> {}

export interface EmulatorState {
  projectType: ProjectType;
  /** Epoch seconds; undefined when no one has fetched the JWKS yet. */
  jwksLastServedAt: number | undefined;
}

export class FaultSwitch {
  private readonly authorization: string;

  constructor(
    private readonly emulator: { url: string; projectId: string; secret: string },
    private readonly clientId: string,
    private readonly timeoutMs: number,
  ) {
    this.authorization = `Basic ${Buffer.from(`${emulator.projectId}:${emulator.secret}`).toString('base64')}`;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${this.emulator.url}/emulator${path}`;
    try {
      return await fetch(url, {
        method,
        headers: { authorization: this.authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new ConformanceError(
        'ERR_EMULATOR_UNREACHABLE',
        `The emulator at ${this.emulator.url} cannot be reached (${errorMessage(err)}${cause}). Start it (\`npm start\`, or \`npx connected-app emulator\`) or pass --emulator-url.`,
      );
    }
  }

  private async refuse(res: Response, what: string): Promise<never> {
    const body = (await res.json().catch(() => undefined)) as { error_type?: string; error_message?: string } | undefined;
    if (res.status === 401) {
      throw new ConformanceError(
        'ERR_EMULATOR_CREDENTIALS',
        `The emulator at ${this.emulator.url} refused project ${this.emulator.projectId}: pass the emulator project's --project-id and --secret.`,
      );
    }
    if (res.status === 404 && body?.error_type === 'connected_app_not_found') {
      throw new ConformanceError(
        'ERR_UNKNOWN_CLIENT',
        `The emulator project ${this.emulator.projectId} has no client ${this.clientId}: pass the client id your relying party logs in with (--client-id).`,
      );
    }
    if (res.status === 404) {
      throw new ConformanceError(
        'ERR_NOT_AN_EMULATOR',
        `${this.emulator.url} has no fault injection (/emulator/faults answered 404): it is not the local Stytch emulator. Real Stytch cannot misbehave on purpose; point your relying party and --emulator-url at the emulator.`,
      );
    }
    throw new Error(`${what}: the emulator answered ${res.status} ${body?.error_message ?? ''}`);
  }

  /** Checks the emulator, the credentials and the client; returns the project type and the JWKS clock. */
  async state(): Promise<EmulatorState> {
    const res = await this.call('GET', '/faults');
    if (!res.ok) return this.refuse(res, 'reading the catalogue');
    const body = (await res.json()) as { project_type: ProjectType; jwks_last_served_at: number | null };
    const client = await this.call('GET', `/clients/${encodeURIComponent(this.clientId)}/faults`);
    if (!client.ok) return this.refuse(client, "reading the client's faults");
    return { projectType: body.project_type, jwksLastServedAt: body.jwks_last_served_at ?? undefined };
  }

  async set(scenario: FaultName, params: Record<string, number> = {}): Promise<void> {
    const res = await this.call('PUT', `/clients/${encodeURIComponent(this.clientId)}/faults`, { scenarios: [scenario], params });
    if (!res.ok) await this.refuse(res, `switching ${scenario} on`);
  }

  async clear(): Promise<void> {
    const res = await this.call('DELETE', `/clients/${encodeURIComponent(this.clientId)}/faults`);
    if (!res.ok) await this.refuse(res, 'switching faults off');
  }
}
