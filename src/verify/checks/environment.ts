/**
 * Test and Live are separate worlds in Stytch: a Test project's clients are `connected-app-test-…`, its secrets
 * `secret-test-…`, and its API host test.stytch.com. A Live client id with a Test project id (or the reverse) is the
 * classic copy-paste mistake: every call then fails with "not found" and nothing says why.
 */
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';

type Env = 'test' | 'live';

/** `test` / `live` from a Stytch identifier such as `connected-app-live-…`, or undefined when it has neither. */
export function environmentOf(value: string | undefined, prefix: string): Env | undefined {
  const m = value ? new RegExp(`^${prefix}-(test|live)-`).exec(value) : null;
  return (m?.[1] as Env | undefined) ?? undefined;
}

export const environment: Check = {
  id: 'project.environment',
  title: 'Project, client and secrets belong to the same environment (Test or Live)',
  required: true,
  async run({ target }) {
    const seen: Array<[what: string, env: Env | undefined]> = [
      ['project id', environmentOf(target.projectId, 'project')],
      ['project secret', environmentOf(target.secret, 'secret')],
      ['client id', environmentOf(target.clientId, 'connected-app')],
      ['client secret', environmentOf(target.clientSecret, 'secret')],
    ];
    if (target.apiUrl) {
      const host = new URL(target.apiUrl).hostname;
      seen.push(['API URL', host === 'test.stytch.com' ? 'test' : host === 'api.stytch.com' ? 'live' : undefined]);
    }
    const known = seen.filter((s): s is [string, Env] => s[1] !== undefined);
    const details = Object.fromEntries(known.map(([what, env]) => [what, env]));
    const reference = known.find(([what]) => what === 'project id') ?? known[0];
    if (!reference) return pass('no Stytch-style identifiers to compare', details);
    const odd = known.filter(([, env]) => env !== reference[1]);
    if (odd.length === 0) {
      return pass(`all ${reference[1] === 'test' ? 'Test' : 'Live'}: ${known.map(([w]) => w).join(', ')}`, details);
    }
    const other = odd[0]![1];
    return fail(
      `${reference[0]} is ${reference[1]}, but ${odd.map(([w, e]) => `${w} is ${e}`).join(', ')}`,
      `Use the ${odd.map(([w]) => w).join(' and ')} of the ${reference[1] === 'test' ? 'Test' : 'Live'} environment, ` +
        `or switch everything to ${other === 'test' ? 'Test' : 'Live'}. Clients and secrets exist in one environment only.`,
      DASHBOARD.environment,
      details,
    );
  },
};
