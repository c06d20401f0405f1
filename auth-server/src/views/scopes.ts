/** Each scope in words a person understands. Custom scopes use the description from the project's RBAC policy. */
import type { ScopeResult } from '../stytch/backend.ts';

export interface ScopeText {
  title: string;
  detail: string;
}

const STANDARD: Record<string, (appName: string) => ScopeText> = {
  openid: (app) => ({ title: 'Know who you are', detail: `Confirm your identity using your ${app} account.` }),
  profile: () => ({ title: 'See your name and profile picture', detail: 'Your name, picture and language, as set in your profile.' }),
  email: () => ({ title: 'See your email address', detail: 'Your email address and whether it is verified.' }),
  phone: () => ({ title: 'See your phone number', detail: 'Your phone number and whether it is verified.' }),
  offline_access: () => ({
    title: 'Keep access when you are not using it',
    detail: 'Stay connected in the background until you remove its access.',
  }),
  full_access: (app) => ({ title: `Full access to your ${app} account`, detail: 'Act as you in every part of your account.' }),
};

export function describeScope(result: ScopeResult, appName: string): ScopeText {
  // hasOwn: a scope named `constructor` or `__proto__` must not reach Object.prototype.
  const standard = Object.hasOwn(STANDARD, result.scope) ? STANDARD[result.scope] : undefined;
  if (standard) return standard(appName);
  return { title: result.description || `Use the “${result.scope}” permission`, detail: `Permission: ${result.scope}` };
}
