/**
 * Where each fix is made in the Stytch Dashboard, written once. Paths follow the Dashboard's menu names; the URLs
 * open the section (the Dashboard then asks which project). Stytch moves pages now and then: when it does, this
 * is the one file to update.
 */
import type { DashboardLocation } from './types.ts';

const BASE = 'https://stytch.com/dashboard';

export const DASHBOARD = {
  projectDomain: { path: 'Project Overview › Project Domain (or Settings › Custom domains)', url: `${BASE}` },
  customDomain: { path: 'Settings › Custom domains (add one, then use it as the issuer)', url: `${BASE}` },
  apiKeys: { path: 'API Keys (project id and secret, per environment: Test / Live)', url: `${BASE}/api-keys` },
  environment: { path: 'the environment switch (Test / Live) at the top of the Dashboard', url: `${BASE}` },
  authorizationUrl: { path: 'Connected Apps › Settings › Authorization URL', url: `${BASE}/connected-apps` },
  dcr: { path: 'Connected Apps › Settings › Dynamic Client Registration', url: `${BASE}/connected-apps` },
  apps: { path: 'Connected Apps (the list of apps)', url: `${BASE}/connected-apps` },
  app: { path: 'Connected Apps › <your app>', url: `${BASE}/connected-apps` },
  redirectUrls: { path: 'Connected Apps › <your app> › Redirect URLs', url: `${BASE}/connected-apps` },
  clientSecret: { path: 'Connected Apps › <your app> › Client secret › Rotate', url: `${BASE}/connected-apps` },
  appAccess: { path: 'Connected Apps › <your app> › Access (full access, offline access consent)', url: `${BASE}/connected-apps` },
  users: { path: 'Users (Consumer) or Organizations › Members (B2B): the test user, in the environment checked', url: `${BASE}` },
  scopes: { path: 'Roles & Permissions › Scopes (custom scopes)', url: `${BASE}/rbac` },
} as const satisfies Record<string, DashboardLocation>;
