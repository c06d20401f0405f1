/**
 * `npx connected-app emulator`: options from flags and environment, help, start/stop, and the errors a
 * person meets first (port in use, bad values), each naming the flag and the variable.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.ts';
import { emulatorCommand, parseEmulatorArgs, UsageError, type EmulatorCliIo } from '../../cli.ts';
import type { RunningEmulator } from '../../index.ts';
import { SeedError } from '../../seed.ts';
import { DEMO_PASSWORD, DEMO_USER, b2bDemo, consumerClient, consumerDemo, stytchError } from './helpers.ts';

function capture() {
  let text = '';
  return {
    write: (s: string) => (text += s),
    get text() {
      return text;
    },
  };
}

describe('parseEmulatorArgs', () => {
  it('defaults: the demo Consumer project on 9010 with a file database', () => {
    const o = parseEmulatorArgs([], {});
    expect(o).toMatchObject({ projectType: 'consumer', port: 9010, host: 'localhost', db: '.data/emulator-consumer.db' });
    if (o === 'help' || !o.seed) throw new Error('expected the demo seed');
    expect(o.seed.project.project_id).toBe(consumerDemo.project.project_id);
  });

  it('--project-type b2b picks the B2B demo seed, port 9011 and its own database', () => {
    const o = parseEmulatorArgs(['--project-type', 'b2b'], {});
    expect(o).toMatchObject({ projectType: 'b2b', port: 9011, db: '.data/emulator-b2b.db' });
    if (o === 'help' || !o.seed) throw new Error('expected the demo seed');
    expect(o.seed.project.project_id).toBe(b2bDemo.project.project_id);
  });

  it('reads the environment, and a flag wins over its variable', () => {
    const env = { STYTCH_PROJECT_TYPE: 'b2b', STYTCH_EMULATOR_PORT: '7000', STYTCH_EMULATOR_DB: ':memory:', CLIENT_APP_URL: 'http://client.test:4000' };
    const o = parseEmulatorArgs(['--port', '7001'], env);
    if (o === 'help' || !o.seed) throw new Error('expected options');
    expect(o).toMatchObject({ projectType: 'b2b', port: 7001, db: ':memory:', portVariable: '--port (STYTCH_EMULATOR_PORT)' });
    expect(o.seed.clients[0]!.redirect_urls).toEqual(['http://client.test:4000/callback']);
  });

  it('takes the project type from an explicit seed file', () => {
    const o = parseEmulatorArgs(['--seed', 'src/shared/demo/b2b.json'], {});
    expect(o !== 'help' && o.projectType).toBe('b2b');
  });

  it('--help', () => {
    expect(parseEmulatorArgs(['--help'], {})).toBe('help');
  });

  it.each([
    ['an unknown flag', ['--bogus', 'x'], {}, UsageError, /bogus/],
    ['a port that is not a number', ['--port', 'abc'], {}, ConfigError, /--port \(STYTCH_EMULATOR_PORT\): must be a TCP port/],
    ['a port out of range (from the environment)', [], { STYTCH_EMULATOR_PORT: '70000' }, ConfigError, /--port \(STYTCH_EMULATOR_PORT\).*65535/],
    ['an unknown project type', ['--project-type', 'enterprise'], {}, ConfigError, /--project-type \(STYTCH_PROJECT_TYPE\): must be consumer or b2b/],
    ['a seed of the other type', ['--project-type', 'b2b', '--seed', 'src/shared/demo/consumer.json'], {}, UsageError, /consumer project, but --project-type/],
    ['no seed and no credentials', ['--seed', 'none'], {}, UsageError, /--project-id \(STYTCH_PROJECT_ID\) and --secret \(STYTCH_SECRET\) are required/],
    ['a missing seed file', ['--seed', 'nowhere.json'], {}, SeedError, /nowhere\.json/],
    ['a malformed project id', ['--project-id', 'my-project'], {}, ConfigError, /--project-id \(STYTCH_PROJECT_ID\)/],
  ] as const)('rejects %s', (_name, argv, env, type, message) => {
    expect(() => parseEmulatorArgs(argv, env)).toThrow(type);
    expect(() => parseEmulatorArgs(argv, env)).toThrow(message);
  });
});

/** Runs the command in-process until `stop()`; resolves once it serves. */
async function runCommand(argv: string[], env: Record<string, string> = {}) {
  const stdout = capture();
  const stderr = capture();
  let stop!: () => void;
  let ready!: (em: RunningEmulator) => void;
  const served = new Promise<RunningEmulator>((resolve) => (ready = resolve));
  const io: EmulatorCliIo = { stdout, stderr, env: { LOG_LEVEL: 'silent', ...env }, stopped: new Promise<void>((r) => (stop = r)), onReady: ready };
  const exit = emulatorCommand(argv, io);
  const emulator = await Promise.race([served, exit.then(() => undefined)]);
  return { emulator, exit, stop, stdout, stderr };
}

describe('emulatorCommand', () => {
  it('prints --help with every flag and its variable, and exits 0', async () => {
    const out = capture();
    expect(await emulatorCommand(['--help'], { stdout: out, stderr: capture(), env: {} })).toBe(0);
    for (const [flag, variable] of [
      ['--port', 'STYTCH_EMULATOR_PORT'],
      ['--project-id', 'STYTCH_PROJECT_ID'],
      ['--secret', 'STYTCH_SECRET'],
      ['--project-type', 'STYTCH_PROJECT_TYPE'],
      ['--seed', 'STYTCH_EMULATOR_SEED'],
      ['--db', 'STYTCH_EMULATOR_DB'],
      ['--host', 'STYTCH_EMULATOR_HOST'],
      ['--auth-server-url', 'AUTH_SERVER_URL'],
      ['--client-app-url', 'CLIENT_APP_URL'],
    ]) {
      expect(out.text).toMatch(new RegExp(`${flag} \\S+\\s+${variable}`));
    }
  });

  it('exits 2 with the reason on invalid options', async () => {
    const err = capture();
    expect(await emulatorCommand(['--port', 'abc'], { stdout: capture(), stderr: err, env: {} })).toBe(2);
    expect(err.text).toContain('--port (STYTCH_EMULATOR_PORT)');
    expect(err.text).toContain('--help');
  });

  it('serves the seeded project, prints its base URL, and stops cleanly', async () => {
    const run = await runCommand(['--port', '0', '--db', ':memory:', '--host', '127.0.0.1']);
    const em = run.emulator!;
    expect(run.stdout.text).toContain(`listening on ${em.url}`);
    expect(em.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const login = await consumerClient(em).passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 5 });
    expect(login.user_id).toBe(DEMO_USER.user_id);
    run.stop();
    expect(await run.exit).toBe(0);
    await expect(fetch(`${em.url}/healthz`)).rejects.toThrow();
  });

  it("--project-id and --secret override the seed's", async () => {
    const projectId = 'project-test-11111111-2222-4333-8444-555555555555';
    const secret = 'secret-test-OverriddenSecret_0000000000';
    const run = await runCommand(['--port', '0', '--db', ':memory:', '--project-id', projectId], { STYTCH_SECRET: secret });
    try {
      const em = run.emulator!;
      expect(em.projectId).toBe(projectId);
      const ok = await consumerClient(em, secret).users.get({ user_id: DEMO_USER.user_id });
      expect(ok.user_id).toBe(DEMO_USER.user_id);
      const e = await stytchError(() => consumerClient(em, consumerDemo.project.secret).users.get({ user_id: DEMO_USER.user_id }));
      expect(e.error_type).toBe('unauthorized_credentials');
    } finally {
      run.stop();
      await run.exit;
    }
  });

  describe('port in use', () => {
    let blocker: Server;
    let port: number;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, 'localhost', resolve));
      port = (blocker.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it('exits 1 naming the flag when --port was given', async () => {
      const run = await runCommand(['--port', String(port), '--db', ':memory:']);
      expect(await run.exit).toBe(1);
      expect(run.stderr.text).toContain(`Port ${port} is already in use`);
      expect(run.stderr.text).toContain('--port (STYTCH_EMULATOR_PORT)');
    });

    it('exits 1 naming the variable when STYTCH_EMULATOR_PORT was set', async () => {
      const run = await runCommand(['--db', ':memory:'], { STYTCH_EMULATOR_PORT: String(port) });
      expect(await run.exit).toBe(1);
      expect(run.stderr.text).toMatch(/set STYTCH_EMULATOR_PORT to a free port/);
    });
  });
});

describe('the package bin', () => {
  it('`connected-app emulator --help` works from the repository root', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/connected-app.js', 'emulator', '--help'], { cwd: process.cwd() });
    expect(stdout).toContain('Usage: npx connected-app emulator');
  });
});
