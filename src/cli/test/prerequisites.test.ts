import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem, portProblems, satisfies } from '../prerequisites.ts';

describe('the Node.js version against package.json engines', () => {
  it.each([
    ['20.19.0', '>=20.19', true],
    ['20.19.5', '>=20.19', true],
    ['22.1.0', '>=20.19', true],
    ['20.18.3', '>=20.19', false],
    ['18.20.4', '>=20.19', false],
    ['20.19.0', '>= 20.19', true],
    ['21.0.0', '>=20.19 <21 || >=22.12', false],
    ['22.12.0', '>=20.19 <21 || >=22.12', true],
    ['20.19.0', '20.19.0', true],
    ['22.0.0-nightly20240101', '>=20.19', true],
  ])('%s satisfies %s: %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('refuses a range form it does not understand, rather than passing it', () => {
    expect(() => satisfies('20.19.0', '^20.19')).toThrow('"^20.19" is not understood');
  });

  it('says what to do, in one line', () => {
    const problem = nodeVersionProblem('18.20.4', '>=20.19');
    expect(problem).toBe(
      'Node.js 18.20.4 is not supported: this project needs Node.js >=20.19 (package.json "engines"). Install a newer one (https://nodejs.org, or `nvm install --lts`) and run the command again.',
    );
  });

  it('accepts the Node.js running these tests, against the real package.json', () => {
    expect(nodeVersionProblem()).toBeUndefined();
  });
});

describe('free ports', () => {
  it('names each port in use with the variable that moves it, and passes free ones', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, 'localhost', resolve));
    const { port } = busy.address() as AddressInfo;
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, 'localhost', resolve));
    const freePort = (free.address() as AddressInfo).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    try {
      expect(
        await portProblems([
          { port, variable: 'CLIENT_APP_PORT' },
          { port: freePort, variable: 'AUTH_SERVER_PORT' },
        ]),
      ).toEqual([`Port ${port} is already in use. Stop the program that uses it, or set CLIENT_APP_PORT to a free port.`]);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});
