/**
 * No Docker engine runs here, so the compose file is checked by reading it: each app's own config loader must
 * accept the environment compose gives it, and the URLs must line up (one issuer for browser and servers, the
 * apps' public URLs matching the published ports and the seed's redirect URLs). `.ci/run` also runs
 * `docker-compose config -q`, and so does the last test here when docker-compose is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig as loadAuthServerConfig } from '../../auth-server/src/index.ts';
import { loadClientAppConfig, profilesFor } from '../../client-app/src/index.ts';
import { loadConfig as loadMcpServerConfig } from '../../mcp-server/src/index.ts';
import { ENTRIES } from '../../scripts/build.mjs';
import { COMMANDS } from '../../src/cli/commands.ts';
import { DEFAULT_SEED_URLS, loadDemoSeed } from '../../src/shared/demo.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  network_mode?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}
// `merge: true`: compose resolves YAML merge keys (`<<: *app`); the yaml package does not by default.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};

/** Compose interpolation with an empty shell environment, as on a fresh checkout: `${X:-default}` → default. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_m, _name: string, fallback?: string) => fallback ?? '');
}

/** The environment a service's process sees. */
function envOf(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([k, v]) => [k, interpolate(String(v ?? ''))]));
}

function flag(command: string[] | undefined, name: string): string | undefined {
  const i = command?.indexOf(name) ?? -1;
  return i >= 0 ? command?.[i + 1] : undefined;
}

// The emulator listens on loopback inside the shared namespace; its base URL is its issuer (ST-PROJECT-DOMAIN).
const emulator = service('emulator');
// A wildcard bind address is not a URL host: the emulator then names itself localhost.
const emulatorHost = flag(emulator.command, '--host') ?? 'localhost';
const emulatorIssuer = `http://${emulatorHost === '0.0.0.0' ? 'localhost' : emulatorHost}:${flag(emulator.command, '--port')}`;

describe('docker-compose.yml', () => {
  it('runs the emulator, both apps, the mcp-server and Redis, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['auth-server', 'client-app', 'emulator', 'mcp-server', 'redis']);
    for (const [name, svc] of Object.entries(compose.services)) {
      expect(svc.healthcheck?.test, `${name} health check`).toBeDefined();
    }
  });

  it('gives the auth-server a configuration its loader accepts, ready for a container', () => {
    const config = loadAuthServerConfig(envOf('auth-server'));
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.sessionDb.startsWith('.data/')).toBe(true);
    // The SDK's base URL, the issuer it expects in tokens, and the emulator's issuer are one URL.
    expect(config.stytch.issuer).toBe(emulatorIssuer);
    expect(service('auth-server').healthcheck?.test.join(' ')).toContain(`localhost:${config.port}/healthz`);
  });

  it('gives the client-app a configuration its loader accepts, with the same issuer and its own callback', () => {
    const config = loadClientAppConfig(envOf('client-app'));
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicUrl).toBe('http://localhost:3001');
    expect(config.session.redisUrl).toBe('redis://redis:6379');
    expect(config.session.sqlitePath.startsWith('.data/')).toBe(true);
    const profiles = profilesFor(config, config.publicUrl ?? '');
    expect(profiles.length).toBeGreaterThan(0);
    for (const profile of profiles) {
      expect(profile.issuer).toBe(emulatorIssuer);
      expect(profile.redirectUri.startsWith(`${config.publicUrl}/`)).toBe(true);
    }
    expect(service('client-app').healthcheck?.test.join(' ')).toContain(`localhost:${config.port}/healthz`);
  });

  it('gives the mcp-server a configuration its loader accepts: its resource on the published port, the emulator as authorization server', () => {
    const config = loadMcpServerConfig(envOf('mcp-server'));
    expect(config.host).toBe('0.0.0.0');
    expect(config.resource).toBe('http://localhost:3002/mcp');
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.stytch.issuer).toBe(emulatorIssuer);
    expect(service('mcp-server').healthcheck?.test.join(' ')).toContain(`localhost:${config.port}/healthz`);
  });

  it('puts the apps in the network namespace of the emulator, which publishes their ports on loopback only', () => {
    for (const name of ['auth-server', 'client-app', 'mcp-server']) expect(service(name).network_mode, name).toBe('service:emulator');
    // 3002 and 9010 for MCP clients on the host: the mcp-server, and the authorization server it names.
    expect(emulator.ports?.sort()).toEqual(['127.0.0.1:3000:3000', '127.0.0.1:3001:3001', '127.0.0.1:3002:3002', '127.0.0.1:9010:9010']);
    expect(emulator.healthcheck?.test.join(' ')).toContain(`${emulatorIssuer}/healthz`);
    // The browser-facing URLs are the published ports.
    expect(envOf('auth-server').AUTH_SERVER_PUBLIC_URL).toBe('http://localhost:3000');
    expect(envOf('client-app').CLIENT_APP_PUBLIC_URL).toBe('http://localhost:3001');
  });

  it("seeds the emulator with an Authorization URL and redirect URLs on the apps' public URLs", () => {
    // The emulator is started without --seed: the demo seed, filled with the default app URLs.
    expect(flag(emulator.command, '--seed')).toBeUndefined();
    const seed = loadDemoSeed('consumer', DEFAULT_SEED_URLS);
    expect(seed.project.authorization_url).toBe(`${envOf('auth-server').AUTH_SERVER_PUBLIC_URL}/oauth/authorize`);
    for (const client of seed.clients) {
      for (const url of client.redirect_urls) expect(url.startsWith(`${envOf('client-app').CLIENT_APP_PUBLIC_URL}/`)).toBe(true);
    }
  });

  it("keeps each part's SQLite files and generated secrets in a volume on the image's only writable directory", () => {
    for (const name of ['emulator', 'auth-server', 'client-app']) {
      expect(service(name).volumes, name).toContain(`${name}-data:/app/.data`);
    }
    expect(flag(emulator.command, '--db')?.startsWith('.data/')).toBe(true);
    expect(read('Dockerfile')).toMatch(/^WORKDIR \/app$/m);
    expect(read('Dockerfile')).toMatch(/chown node:node \/app\/\.data/);
  });

  it('starts the apps once their dependencies are healthy, and shares sessions through Redis', () => {
    for (const name of ['auth-server', 'client-app']) {
      const deps = service(name).depends_on ?? {};
      expect(deps.redis?.condition, name).toBe('service_healthy');
      expect(deps.emulator?.condition, name).toBe('service_healthy');
    }
  });

  it.each([
    ['emulator', 'src/emulator/cli.ts'],
    ['auth-server', 'auth-server/src/config.ts'],
    ['client-app', 'client-app/src/config.ts'],
    ['mcp-server', 'mcp-server/src/config.ts'],
  ])('sets only variables the %s reads (no typos)', (name, configFile) => {
    // The Stytch project's variables are parsed in one shared place.
    const source = read(configFile) + read('src/shared/stytch-project.ts');
    for (const variable of Object.keys(envOf(name))) expect(source, `${name}: ${variable}`).toContain(variable);
  });

  it('runs commands that exist in the image', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      if (!svc.build) continue;
      const command = svc.command ?? [];
      const entry = command.findIndex((arg) => /\.(ts|js)$/.test(arg));
      expect(entry, `${name} command`).toBeGreaterThanOrEqual(0);
      // `dist/current/<entry>.js` is built in the image (scripts/build.mjs): its source must exist.
      const built = /^dist\/current\/(.+)\.js$/.exec(command[entry]!)?.[1];
      const file = built ? ENTRIES[built] : command[entry];
      expect(file && existsSync(`${root}${file}`), `${name}: ${command[entry]}`).toBe(true);
      // `node bin/connected-app.js <command> …`: the CLI must know the command.
      if (command[entry] === 'bin/connected-app.js') expect(Object.keys(COMMANDS), name).toContain(command[entry + 1]);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('builds the entry points that the compose file runs, as root, before switching to the node user', () => {
    expect(runtime).toMatch(/^RUN node scripts\/build\.mjs$/m);
    expect(runtime.indexOf('RUN node scripts/build.mjs')).toBeLessThan(runtime.indexOf('USER node'));
    // The build's inputs are in the build context; a build from the host is not.
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toContain('!scripts/build.mjs');
    expect(ignored).not.toContain('tsconfig.json');
    expect(ignored).toContain('dist');
  });

  it('is multi-stage: build tools in the deps stage only, production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).not.toMatch(/apt-get install/);
    expect(runtime).toMatch(/COPY --from=deps/);
  });

  it('runs as a non-root user', () => {
    expect(runtime).toMatch(/^USER node$/m);
  });

  it('keeps secrets and local data out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const pattern of ['**/.env', '**/.data', '**/*.db', 'node_modules', '.git']) expect(ignored).toContain(pattern);
  });
});

const hasDockerCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasDockerCompose)('docker-compose config', () => {
  it('validates the file (docker-compose v1, as in .ci/run)', () => {
    const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
