/**
 * Driving an unknown login page in Chromium (playwright-core), for the tools that log in through someone
 * else's pages: `verify` (a Stytch project's Authorization URL) and `conformance` (a team's relying party).
 * Only common conventions are assumed: a form with a password field, an email/username field, maybe an
 * organization field (B2B), and a consent button labelled Allow / Accept / … or named `decision=allow`.
 */
import type { Locator, Page } from 'playwright-core';

/** Chromium flags: no sandbox (it cannot start in most containers), nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const LOGIN_SELECTORS = {
  identifier: 'input[type=email], input[name=email], input[name=email_address], input[name=username], input[name=login], input[autocomplete=username]',
  organization: 'input[name=organization], input[name=organization_slug], input[name=org], input[autocomplete=organization]',
  password: 'input[type=password]',
} as const;

/** Something a person could act on: a login form or a consent button. */
export const ACTIONABLE = `${LOGIN_SELECTORS.password}, form button, form input[type=submit]`;

const CONSENT_LABEL = /^\s*(allow|accept|approve|authori[sz]e|grant|continue)\b/i;

export interface LoginPerson {
  email: string;
  password: string;
  organization?: string | undefined;
}

/** Fills the form that has the password field and submits it (its submit button, or Enter in the password). */
export async function submitLoginForm(page: Page, person: LoginPerson): Promise<void> {
  const form = page.locator('form', { has: page.locator(LOGIN_SELECTORS.password) }).first();
  const organization = form.locator(LOGIN_SELECTORS.organization).first();
  if (person.organization && (await organization.isVisible().catch(() => false))) await organization.fill(person.organization);
  const identifier = form.locator(LOGIN_SELECTORS.identifier).first();
  if (await identifier.isVisible().catch(() => false)) await identifier.fill(person.email);
  await form.locator(LOGIN_SELECTORS.password).first().fill(person.password);
  const submit = form.locator('button[type=submit], input[type=submit], button:not([type])').first();
  if (await submit.count()) await submit.click({ noWaitAfter: true });
  else await form.locator(LOGIN_SELECTORS.password).first().press('Enter', { noWaitAfter: true });
}

/** The button that grants consent: `decision=allow`, `consent_granted=true`, or labelled Allow / Accept / …. */
export async function findConsentButton(page: Page): Promise<Locator | undefined> {
  const byValue = page
    .locator('button[name=decision][value=allow], button[name=consent_granted][value=true], input[type=submit][name=consent_granted][value=true]')
    .first();
  if (await byValue.isVisible().catch(() => false)) return byValue;
  const buttons = page.locator('form button, form input[type=submit]');
  for (let i = 0; i < (await buttons.count()); i++) {
    const b = buttons.nth(i);
    const label = (await b.textContent().catch(() => null))?.trim() || (await b.getAttribute('value').catch(() => null)) || '';
    if (CONSENT_LABEL.test(label) && (await b.isVisible().catch(() => false))) return b;
  }
  return undefined;
}
