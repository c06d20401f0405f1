/**
 * Takes the README's screenshots (docs/screenshots/*.png) in Debian Chromium, walking the demo as a visitor
 * does: `npx tsx e2e/screenshots.ts [consumer|b2b]`. The stack runs in memory on the default ports, so the
 * pages show the same URLs as `npm start`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { ProjectType } from '../src/shared/project.ts';
import { startStack } from '../src/stack.ts';
import { Faults } from './faults.ts';

const OUT = 'docs/screenshots';
const projectType: ProjectType = process.argv[2] === 'b2b' ? 'b2b' : 'consumer';
// B2B differs on the pages of the Authorization URL only (organization field, organization on consent).
const B2B_PAGES = new Set(['2-login', '3-consent']);

const stack = await startStack({ projectType, logLevel: 'warn' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  mkdirSync(OUT, { recursive: true });
  let page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
  const shot = async (name: string, fullPage = false) => {
    if (projectType === 'b2b' && !B2B_PAGES.has(name)) return;
    const file = join(OUT, `${projectType === 'b2b' ? 'b2b-' : ''}${name}.png`);
    await page.screenshot({ path: file, fullPage });
    console.log(`${file}  ${page.url()}`);
  };
  const demo = stack.demo!;
  const consentClient = stack.clients.find((c) => c.consent !== 'never')!;
  const firstParty = stack.clients.find((c) => c.consent === 'never')!;

  await page.goto(stack.urls.clientApp);
  await shot('1-client-home');

  await page.getByRole('link', { name: `Log in with ${consentClient.label}`, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /^Sign in to / }).waitFor();
  await shot('2-login');

  await signIn(page, demo);
  await page.getByRole('button', { name: 'Allow', exact: true }).waitFor();
  await shot('3-consent', true);

  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  await page.waitForURL(`${stack.urls.clientApp}/account`);
  await shot('4-signed-in', true);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flow inspector' }).click();
  await page.getByRole('heading', { level: 1, name: 'Flow inspector' }).waitFor();
  await shot('5-flow-inspector', true);

  // Signed in at the Authorization URL already, so the unregistered redirect_uri is refused at once.
  const bad = new URL(stack.urls.authorizationUrl);
  bad.search = new URLSearchParams({
    client_id: consentClient.clientId,
    redirect_uri: 'https://evil.example/callback',
    response_type: 'code',
    scope: 'openid',
    state: 'demo',
  }).toString();
  await page.goto(bad.href);
  await page.locator('[data-error-code]').waitFor();
  await shot('6-error-unregistered-redirect-uri');

  // A new visitor (fresh cookies) whose login meets a tampered ID token.
  const faults = new Faults(stack);
  await faults.inject(firstParty.clientId, ['invalid-sig-rs256']);
  page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
  await page.goto(stack.urls.clientApp);
  await page.getByRole('link', { name: `Log in with ${firstParty.label}`, exact: true }).click();
  await signIn(page, demo);
  await page.getByRole('alert').waitFor();
  await shot('7-error-tampered-id-token');
  await faults.clear();
} finally {
  await browser.close();
  await stack.close();
}

async function signIn(page: Page, who: { email: string; password: string; organization?: string | undefined }): Promise<void> {
  if (who.organization) await page.getByLabel('Organization').fill(who.organization);
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
