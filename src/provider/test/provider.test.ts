/**
 * `npx connected-app provider` and `npx connected-app clients`: the provider a team points its own relying party
 * at (emulator + Authorization URL, no sample client-app), and registering that relying party with it.
 * Regression (issue 15): "start the emulator alone" left discovery pointing at an auth-server nobody ran, and
 * registering a redirect URI was undocumented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsCommand, type ClientsIo } from '../clients-cli.ts';
import { banner } from '../cli.ts';
import { startProvider, type RunningProvider } from '../start.ts';

let provider: RunningProvider;
beforeAll(async () => {
  provider = await startProvider({ projectType: 'consumer', ports: { emulator: 0, authServer: 0 }, logLevel: 'silent' });
});
afterAll(async () => {
  await provider?.close();
});

function capture(): ClientsIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, out: () => out, err: () => err };
}

const emulatorFlags = () => ['--emulator-url', provider.project.url, '--project-id', provider.project.projectId, '--secret', provider.project.secret];

describe('npx connected-app provider', () => {
  it('serves discovery whose Authorization URL answers, and no client-app', async () => {
    const discovery = (await (await fetch(`${provider.project.url}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      authorization_endpoint: string;
    };
    expect(discovery.issuer).toBe(provider.project.url);
    expect(discovery.authorization_endpoint).toBe(provider.authorizationUrl);
    // The Authorization URL is up: a request without parameters gets its explained error page, not a refused connection.
    const page = await fetch(provider.authorizationUrl);
    expect(page.status).toBe(400);
    expect(banner(provider)).toContain(`Issuer             ${provider.project.url}`);
    expect(banner(provider)).toContain(`npx connected-app clients create --emulator-url ${provider.project.url} --type third_party --redirect-uri`);
  });
});

describe('npx connected-app clients', () => {
  it('create prints the client id, the secret, the issuer and the exact conformance flags; list shows it; delete removes it', async () => {
    const created = capture();
    expect(
      await clientsCommand(
        ['create', '--type', 'third_party', '--redirect-uri', 'http://localhost:8080/callback', '--name', 'Team RP', ...emulatorFlags()],
        created,
      ),
    ).toBe(0);
    const out = created.out();
    const clientId = /client id {6}(connected-app-test-[\w-]+)/.exec(out)?.[1];
    expect(clientId, out).toBeDefined();
    expect(out).toMatch(/client secret {2}secret-test-\S+ {3}\(shown once/);
    expect(out).toContain(`issuer         ${provider.project.url}`);
    expect(out).toContain('redirect URI   http://localhost:8080/callback');
    expect(out).toContain(`npx connected-app conformance --emulator-url ${provider.project.url} --client-id ${clientId}`);

    const listed = capture();
    expect(await clientsCommand(['list', '--json', ...emulatorFlags()], listed)).toBe(0);
    expect(JSON.parse(listed.out())).toContainEqual({ clientId, name: 'Team RP', type: 'third_party', redirectUrls: ['http://localhost:8080/callback'] });

    expect(await clientsCommand(['delete', '--client-id', clientId!, ...emulatorFlags()], capture())).toBe(0);
    const after = capture();
    await clientsCommand(['list', '--json', ...emulatorFlags()], after);
    expect((JSON.parse(after.out()) as Array<{ clientId: string }>).map((c) => c.clientId)).not.toContain(clientId);
  });

  it('a public client has no secret', async () => {
    const io = capture();
    expect(await clientsCommand(['create', '--type', 'first_party_public', '--redirect-uri', 'http://localhost:8080/cb', ...emulatorFlags()], io)).toBe(0);
    expect(io.out()).toContain('client secret  none: a public client authenticates with PKCE alone');
  });

  it.each([
    ['no --type', ['create', '--redirect-uri', 'http://localhost:8080/cb'], /--type: one of third_party, third_party_public, first_party, first_party_public/],
    ['an unknown --type', ['create', '--type', 'confidential', '--redirect-uri', 'http://localhost:8080/cb'], /--type: .*\(got "confidential"\)/],
    ['no --redirect-uri', ['create', '--type', 'third_party'], /--redirect-uri: required/],
    ['a relative --redirect-uri', ['create', '--type', 'third_party', '--redirect-uri', '/callback'], /"\/callback" is not an absolute URL/],
    ['delete without --client-id', ['delete'], /--client-id: required/],
    ['an unknown action', ['rename'], /Unknown action "rename"/],
  ])('%s: exit 2 saying what to fix', async (_what, argv, message) => {
    const io = capture();
    expect(await clientsCommand([...argv, ...emulatorFlags()], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('wrong project credentials: exit 1, naming the emulator and project', async () => {
    const io = capture();
    expect(
      await clientsCommand(['list', '--emulator-url', provider.project.url, '--project-id', provider.project.projectId, '--secret', 'secret-test-wrong'], io),
    ).toBe(1);
    expect(io.err()).toContain(`The emulator at ${provider.project.url} (project ${provider.project.projectId}) refused`);
  });
});
