/**
 * The benchmark's peer relying party: express + express-session + openid-client (authorization code with PKCE,
 * state, nonce, client_secret_basic), signed-in page from the ID token's claims. Loopback only; a yardstick.
 */
import express from 'express';
import session from 'express-session';
import * as oidc from 'openid-client';

declare module 'express-session' {
  interface SessionData {
    peerPending?: { verifier: string; state: string; nonce: string };
    peerUser?: { sub: string; name?: string | undefined };
  }
}

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const rpUrl = env('PEER_RP_URL');
const redirectUri = `${rpUrl}/callback`;
const config = await oidc.discovery(new URL(env('PEER_OP_URL')), env('PEER_CLIENT_ID'), undefined, oidc.ClientSecretBasic(env('PEER_CLIENT_SECRET')), {
  execute: [oidc.allowInsecureRequests],
});

const app = express();
app.use(
  session({
    name: 'peer_rp',
    secret: env('PEER_SESSION_SECRET'),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: false },
  }),
);
app.get('/healthz', (_req, res) => {
  res.send('ok');
});
app.get('/login', async (req, res) => {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  req.session.peerPending = { verifier, state, nonce };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    prompt: 'consent',
  });
  res.redirect(url.href);
});
app.get('/callback', async (req, res) => {
  const pending = req.session.peerPending;
  if (!pending) {
    res.status(400).send('no pending login');
    return;
  }
  const tokens = await oidc.authorizationCodeGrant(config, new URL(req.originalUrl, rpUrl), {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  delete req.session.peerPending;
  req.session.peerUser = { sub: claims.sub, name: typeof claims.name === 'string' ? claims.name : undefined };
  res.redirect('/');
});
app.get('/', (req, res) => {
  const user = req.session.peerUser;
  res.type('html').send(user ? `<p>Signed in as ${encodeURIComponent(user.sub)}</p>` : '<a href="/login">Log in</a>');
});

const server = app.listen(Number(env('PEER_PORT')), '127.0.0.1');
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
