/**
 * What verify's tests share: a local project (emulator + auth-server, in memory, free ports), Connected Apps created
 * in it through the real `stytch` SDK (as a team creates them), project-mode targets pointing at it, and a way to run
 * the pipeline and pick one check's result.
 */
import * as stytch from 'stytch';
import { findChromium } from '../../chromium/resolve.ts';
import { quietEmulatorClient } from '../../shared/stytch-sdk.ts';
import type { VerifyIo } from '../cli.ts';
import type { Target } from '../context.ts';
import { runVerify } from '../index.ts';
import { startLocalProject, type LocalProject } from '../local.ts';
import type { CheckResult, VerifyReport } from '../types.ts';

export interface TestProject extends LocalProject {
  sdk: stytch.Client;
}

export async function startTestProject(): Promise<TestProject> {
  const local = await startLocalProject('consumer');
  return { ...local, sdk: quietEmulatorClient(() => new stytch.Client({ project_id: local.projectId, secret: local.secret, env: `${local.apiUrl}/` })) };
}

/** Creates a Connected App the way a team does (management API through the SDK); returns its id and secret. */
export async function createClient(
  project: TestProject,
  request: stytch.ConnectedAppsClientsCreateRequest,
): Promise<{ clientId: string; clientSecret: string | undefined; redirectUri: string }> {
  const { connected_app } = await project.sdk.connectedApp.clients.create({
    client_name: `verify test ${request.client_type}`,
    redirect_urls: [`${project.clientAppUrl}/callback`],
    ...request,
  });
  return { clientId: connected_app.client_id, clientSecret: connected_app.client_secret || undefined, redirectUri: connected_app.redirect_urls[0]! };
}

/** A project-mode target at the test project, as a team would configure verify; `overrides` set the mistake. */
export function targetFor(project: Pick<LocalProject, 'apiUrl' | 'projectId' | 'secret' | 'clientAppUrl'>, overrides: Partial<Target> = {}): Target {
  return {
    mode: 'project',
    apiUrl: project.apiUrl,
    issuer: undefined,
    projectId: project.projectId,
    secret: project.secret,
    projectType: 'consumer',
    clientId: 'set-by-the-test',
    clientSecret: undefined,
    redirectUri: `${project.clientAppUrl}/callback`,
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    authMethod: undefined,
    expectedClientType: undefined,
    expectRefresh: undefined,
    expectDcr: undefined,
    mcpServerUrl: undefined,
    user: undefined,
    login: false,
    browserPath: findChromium()?.path,
    timeoutMs: 10_000,
    artifactsDir: undefined,
    ...overrides,
  };
}

export function resultOf(report: VerifyReport, id: string): CheckResult {
  const result = report.results.find((r) => r.id === id);
  if (!result) throw new Error(`no result for ${id}`);
  return result;
}

export function failedIds(report: VerifyReport): string[] {
  return report.results.filter((r) => r.status === 'fail').map((r) => r.id);
}

/** The command's output streams, kept as text, and the environment it reads. */
export function captureIo(env: Record<string, string> = {}): VerifyIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t), isTTY: false },
    stderr: {
      write: (t: string) => {
        err += t;
        return true;
      },
      isTTY: false,
    } as unknown as NodeJS.WriteStream,
    env,
    out: () => out,
    err: () => err,
  };
}

export { runVerify };
