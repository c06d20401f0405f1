/**
 * Exact-string comparisons that explain themselves. OAuth compares issuers and redirect URIs as exact strings
 * (AS-1, OIDC Discovery §4.3); people read them as URLs and do not see a trailing slash or
 * `127.0.0.1` for `localhost`. These functions name the difference.
 */

/** Levenshtein distance, for picking the registered value closest to the one sent. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * How `sent` differs from `registered`, as short phrases ("trailing slash", "port 3000 instead of 3001").
 * Empty when they are the same string. Host names are compared on the raw text: `new URL` lowercases them.
 */
export function urlDifferences(sent: string, registered: string, ref = 'the registered one'): string[] {
  if (sent === registered) return [];
  // Caught on the raw strings: `new URL` gives "https://a.example" and "https://a.example/" the same path.
  if (sent.replace(/\/+$/, '') === registered.replace(/\/+$/, '')) {
    return [sent.endsWith('/') ? `a trailing slash that ${ref} does not have` : `no trailing slash, but ${ref} has one`];
  }
  const a = parse(sent);
  const b = parse(registered);
  if (!a || !b) return ['not the same string'];
  const out: string[] = [];
  if (a.protocol !== b.protocol) out.push(`scheme ${a.protocol.slice(0, -1)} instead of ${b.protocol.slice(0, -1)}`);
  const rawHost = (u: string) => /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(u)?.[1] ?? '';
  const hostA = rawHost(sent);
  const hostB = rawHost(registered);
  if (hostA.toLowerCase() !== hostB.toLowerCase()) {
    out.push(
      LOOPBACK.has(hostA.toLowerCase()) && LOOPBACK.has(hostB.toLowerCase())
        ? `host ${hostA} instead of ${hostB} (both are this machine, but they are different strings)`
        : `host ${hostA} instead of ${hostB}`,
    );
  } else if (hostA !== hostB) {
    out.push(`host case: ${hostA} instead of ${hostB}`);
  }
  if (a.port !== b.port) out.push(`port ${a.port || '(default)'} instead of ${b.port || '(default)'}`);
  const pa = a.pathname;
  const pb = b.pathname;
  if (pa !== pb) {
    if (pa.replace(/\/+$/, '') === pb.replace(/\/+$/, '')) {
      out.push(pa.endsWith('/') ? `a trailing slash that ${ref} does not have` : `no trailing slash, but ${ref} has one`);
    } else if (pa.toLowerCase() === pb.toLowerCase()) {
      out.push(`path case: ${pa} instead of ${pb}`);
    } else {
      out.push(`path ${pa} instead of ${pb}`);
    }
  }
  if (a.search !== b.search)
    out.push(a.search ? `query ${a.search}${b.search ? ` instead of ${b.search}` : ` that ${ref} does not have`}` : `no query, but ${ref} has ${b.search}`);
  if (a.hash !== b.hash) out.push('a #fragment (redirect URIs must not have one)');
  if (out.length === 0) out.push('the same URL written differently (e.g. a default port, or percent-encoding)');
  return out;
}

/** The registered value nearest to `sent` (case-insensitive edit distance, then exact), with its differences. */
export function closest(sent: string, registered: readonly string[]): { value: string; differences: string[] } | undefined {
  let best: { value: string; score: number } | undefined;
  for (const value of registered) {
    const score = editDistance(sent.toLowerCase(), value.toLowerCase()) * 1000 + editDistance(sent, value);
    if (!best || score < best.score) best = { value, score };
  }
  return best && { value: best.value, differences: urlDifferences(sent, best.value) };
}

/**
 * Why a configured issuer is not the one the discovery document states, or undefined when they are equal.
 * `projectId` helps recognise Stytch's two legacy forms.
 */
export function issuerMismatch(configured: string, actual: string): string | undefined {
  if (configured === actual) return undefined;
  if (/^(https?:\/\/)?stytch\.com\/project-/.test(configured)) {
    return `"${configured}" is the issuer Stytch uses when called through test.stytch.com or api.stytch.com; tokens from the project domain say "${actual}"`;
  }
  if (/^https:\/\/(test|api)\.stytch\.com(\/|$)/.test(configured)) {
    return `"${configured}" is Stytch's API host (or its legacy /v1/public/{project_id} discovery path), not the project domain "${actual}"`;
  }
  return urlDifferences(configured, actual, 'the issuer').join('; ');
}
