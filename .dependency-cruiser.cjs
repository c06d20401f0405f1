/**
 * The boundaries between the parts (docs/architecture.md), checked in `npm test` (`npm run check:boundaries`).
 * A broken rule fails with the rule's name and the import that broke it.
 */
const TESTS = '(^|/)test/|\\.test\\.ts$|^e2e/';
const part = (name, dir, home = dir) => ({
  name: `${name}-only-through-index`,
  comment: `Other parts (their tests included) use ${dir} through its public ${dir}index.ts (and its command, cli.ts), never its internals.`,
  severity: 'error',
  from: { pathNot: `^${home}` },
  to: { path: `^${dir}`, pathNot: `^${dir}(index|cli)\\.ts$` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules do not import each other in a circle at run time: one of them holds what both need (e.g. src/cli/command.ts).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'client-app-not-to-auth-server-or-emulator',
      comment: 'The client-app is a Connected App: it knows its providers by URL only, never by code.',
      severity: 'error',
      from: { path: '^client-app/src/' },
      to: { path: '^(auth-server/|src/emulator/)' },
    },
    {
      name: 'auth-server-not-to-client-app-or-emulator',
      comment: 'The auth-server talks to Stytch (or the emulator) through the stytch SDK over HTTP only.',
      severity: 'error',
      from: { path: '^auth-server/src/' },
      to: { path: '^(client-app/|src/emulator/)' },
    },
    {
      name: 'mcp-server-not-to-other-parts',
      comment: 'The mcp-server is a resource server: it knows the project by URL and the stytch SDK, never the other parts by code.',
      severity: 'error',
      from: { path: '^mcp-server/src/' },
      to: { path: '^(auth-server/|client-app/|src/emulator/)' },
    },
    {
      name: 'production-not-to-tests',
      comment: 'Production code (the apps, the emulator, the tools) never imports tests, the test kit or the e2e suite.',
      severity: 'error',
      from: { path: '^(auth-server/src|client-app/src|mcp-server/src|src)/', pathNot: TESTS },
      to: { path: `${TESTS}|^test/` },
    },
    {
      name: 'shared-is-a-leaf',
      comment: 'src/shared holds runtime code the parts share; it imports none of them, nor tests or tools.',
      severity: 'error',
      from: { path: '^src/shared/', pathNot: TESTS },
      to: { path: '^(src/(?!shared/)|auth-server/|client-app/|mcp-server/|bench/|e2e/|test/)' },
    },
    {
      name: 'shared-no-browser-drivers',
      comment: 'src/shared is runtime code of the apps: no Playwright (drivers live in src/chromium, test/support, e2e).',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '(^|/)node_modules/(playwright|playwright-core|@playwright)/' },
    },
    {
      name: 'redis-only-in-redis-module',
      comment: 'The Redis packages are imported by src/shared/redis.ts alone (tests aside), so that a process without REDIS_URL never loads them.',
      severity: 'error',
      from: { pathNot: `^src/shared/redis\\.ts$|${TESTS}` },
      to: { path: '(^|/)node_modules/(redis|@redis|connect-redis|rate-limit-redis)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'redis-only-when-used',
      comment: 'src/shared/redis.ts is loaded with a dynamic import() where a REDIS_URL is set; a static import would load Redis in every process.',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { path: '^src/shared/redis\\.ts$', dynamic: false, dependencyTypesNot: ['type-only'] },
    },
    part('auth-server', 'auth-server/src/', 'auth-server/'),
    part('client-app', 'client-app/src/', 'client-app/'),
    part('mcp-server', 'mcp-server/src/', 'mcp-server/'),
    part('emulator', 'src/emulator/'),
    part('verify', 'src/verify/'),
    part('conformance', 'src/conformance/'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
