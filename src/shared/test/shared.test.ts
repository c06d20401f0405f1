import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envField, parseEnv, isLoopbackUrl } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { escapeHtml, html, safeExternalUrl } from '../html.ts';
import { redact } from '../log.ts';
import { SqliteSessionStore, TOUCH_GRANULARITY_MS } from '../session.ts';
import type { SessionData } from 'express-session';

describe('html', () => {
  it('escapes text and attribute contexts', () => {
    const hostile = `"><script>alert('x')</script>`;
    const out = html`<input value="${hostile}"><p>${hostile}</p>`.toString();
    expect(out).not.toContain('<script>');
    expect(out).toContain('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
  });

  it('does not escape nested templates twice, and renders arrays', () => {
    const items = ['<a>', 'b'].map((i) => html`<li>${i}</li>`);
    expect(html`<ul>${items}</ul>`.toString()).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
  });

  it('escapes backticks and equals signs used in unquoted attributes', () => {
    expect(escapeHtml('a=`b`')).toBe('a&#61;&#96;b&#96;');
  });

  it.each([
    ['javascript:alert(1)', undefined],
    ['data:image/svg+xml,<svg/>', undefined],
    ['http://evil.example/logo.png', undefined],
    ['http://localhost:3001/logo.svg', 'http://localhost:3001/logo.svg'],
    ['https://cdn.example/logo.png', 'https://cdn.example/logo.png'],
    ['not a url', undefined],
  ])('safeExternalUrl(%s) = %s', (input, expected) => {
    expect(safeExternalUrl(input)).toBe(expected);
  });
});

describe('parseEnv', () => {
  const schema = z.object({ PORT: envField.port(3000), ISSUER: envField.url('https://x.example').optional() });

  it('applies defaults and treats empty strings as unset', () => {
    expect(parseEnv('app', schema, { PORT: '' })).toEqual({ PORT: 3000 });
  });

  it('names every invalid variable and what it got', () => {
    try {
      parseEnv('app', schema, { PORT: 'abc', ISSUER: 'ftp://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const { problems } = err as ConfigError;
      expect(problems).toHaveLength(2);
      expect(problems.join('\n')).toMatch(/PORT: .*TCP port.*\(got "abc"\)/);
      expect(problems.join('\n')).toMatch(/ISSUER: .*https?\(s\)? URL.*\(got "ftp:\/\/x"\)/);
    }
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackUrl('http://localhost:9010')).toBe(true);
    expect(isLoopbackUrl('http://127.0.0.1:9010')).toBe(true);
    expect(isLoopbackUrl('http://example.com')).toBe(false);
  });
});

describe('redact', () => {
  it('never returns a long secret in full', () => {
    const secret = 'secret-test-abcdefghijklmnopqrstuvwxyz';
    expect(redact(secret)).not.toContain('uvwxyz');
    expect(redact('short')).toBe('[redacted 5 chars]');
  });
});

describe('SqliteSessionStore', () => {
  const call = <T>(fn: (cb: (err?: unknown, v?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

  it('stores, reads and destroys a session, and hides expired ones', async () => {
    const store = new SqliteSessionStore(':memory:');
    const live = { cookie: { expires: new Date(Date.now() + 60_000) }, n: 1 } as unknown as SessionData;
    const dead = { cookie: { expires: new Date(Date.now() - 1) } } as unknown as SessionData;
    await call((cb) => store.set('a', live, cb));
    await call((cb) => store.set('b', dead, cb));
    expect(await call((cb) => store.get('a', cb))).toMatchObject({ n: 1 });
    expect(await call((cb) => store.get('b', cb))).toBeNull();
    await call((cb) => store.destroy('a', cb));
    expect(await call((cb) => store.get('a', cb))).toBeNull();
    store.close();
  });

  it('writes a touch only when it moves the expiry by a minute or more', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'touch-test-')), 'sessions.db');
    const store = new SqliteSessionStore(path);
    const expiresOf = () => {
      const db = new Database(path, { readonly: true });
      const row = db.prepare<[], { expires: number }>("SELECT expires FROM sessions WHERE sid = 'a'").get();
      db.close();
      return row?.expires;
    };
    const at = (ms: number) => ({ cookie: { expires: new Date(ms) } }) as unknown as SessionData;
    const t0 = Date.now() + 3_600_000;
    await call((cb) => store.set('a', at(t0), cb));
    await call((cb) => store.touch('a', at(t0 + TOUCH_GRANULARITY_MS - 1), cb));
    expect(expiresOf()).toBe(t0);
    await call((cb) => store.touch('a', at(t0 + TOUCH_GRANULARITY_MS), cb));
    expect(expiresOf()).toBe(t0 + TOUCH_GRANULARITY_MS);
    store.close();
  });
});
