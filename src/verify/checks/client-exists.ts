/**
 * The client is registered in this project: read through Stytch's Connected App management API
 * (`GET /v1/connected_apps/clients/{client_id}`, Basic auth with the project id and secret, ST-CLIENTS).
 * Later checks compare what the app sends with this registration (`facts.client`).
 */
import type { ConnectedApp } from 'stytch';
import { projectAuth } from '../context.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, skip, warn } from '../outcome.ts';
import type { Check } from '../types.ts';
import { environmentOf } from './environment.ts';

/** The backend API: the project domain, or (without one) the host the Stytch SDK picks from the project id. */
export function backendUrl(apiUrl: string | undefined, projectId: string): string {
  return apiUrl ?? (projectId.startsWith('project-live-') ? 'https://api.stytch.com' : 'https://test.stytch.com');
}

export const clientExists: Check = {
  id: 'client.exists',
  title: 'Client is registered in this project',
  required: true,
  async run(ctx) {
    const { projectId, secret, clientId } = ctx.target;
    if (!projectId || !secret) {
      return skip(
        'not checked: reading the registration needs the project id and secret',
        'Set STYTCH_PROJECT_ID and STYTCH_SECRET (--project-id, --secret) to check the client type, redirect URIs and secret.',
      );
    }
    const url = `${backendUrl(ctx.target.apiUrl, projectId)}/v1/connected_apps/clients/${encodeURIComponent(clientId)}`;
    const res = await ctx.http(url, { headers: { authorization: projectAuth(projectId, secret), accept: 'application/json' } });
    if (res.error)
      return fail(`GET ${url}: ${res.error}`, 'Check STYTCH_API_URL: it must be your project domain, reachable from here.', DASHBOARD.projectDomain);
    const errorType = typeof res.json?.error_type === 'string' ? res.json.error_type : undefined;
    if (res.status === 401 || errorType === 'unauthorized_credentials') {
      return fail(
        `the project id and secret were refused (${res.status} ${errorType ?? ''})`.trim(),
        `STYTCH_SECRET must be a secret of project ${projectId}, from the same environment (Test or Live).`,
        DASHBOARD.apiKeys,
        { status: res.status, error_type: errorType },
      );
    }
    if (res.status === 404) {
      const projectEnv = environmentOf(projectId, 'project');
      const clientEnv = environmentOf(clientId, 'connected-app');
      const mismatch = projectEnv && clientEnv && projectEnv !== clientEnv;
      return fail(
        `project ${projectId} has no Connected App ${clientId}${errorType ? ` (${errorType})` : ''}`,
        mismatch
          ? `The client id is a ${clientEnv} id and the project is ${projectEnv}: use the client of the ${projectEnv} environment, or the ${clientEnv} project's id and secret.`
          : "Copy the client id from the app's page in the Dashboard (Test and Live have different apps), or create the Connected App.",
        mismatch ? DASHBOARD.environment : DASHBOARD.apps,
        { status: res.status, error_type: errorType },
      );
    }
    const app = res.json?.connected_app as ConnectedApp | undefined;
    if (res.status !== 200 || !app || typeof app.client_type !== 'string') {
      return fail(
        `GET ${url} → ${res.status}${errorType ? ` ${errorType}` : ''}`,
        'Check STYTCH_API_URL and the project credentials.',
        DASHBOARD.projectDomain,
        {
          status: res.status,
          error_type: errorType,
        },
      );
    }
    ctx.facts.client = app;
    const details = { client_type: app.client_type, client_name: app.client_name, status: app.status };
    if (app.status && app.status !== 'active') {
      return warn(`"${app.client_name}" (${app.client_type}) has status "${app.status}"`, 'Only active clients can log people in.', DASHBOARD.app, details);
    }
    return pass(`"${app.client_name}" (${app.client_type})`, details);
  },
};
