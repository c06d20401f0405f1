/**
 * Sign-in and sign-out. Login goes through Stytch's password authenticate; the session id is regenerated
 * so that a cookie planted before login is worthless after it (session fixation). Logout revokes the
 * Stytch session and destroys the local one.
 */
import { Router, type Request, type Response } from 'express';
import { demoLogin, loadDemoSeed } from '../../../src/shared/demo.ts';
import { destroySession, regenerateSession, saveSession } from '../../../src/shared/session.ts';
import type { AppContext } from '../context.ts';
import { csrfToken, verifyCsrf } from '../csrf.ts';
import { PageError } from '../errors.ts';
import { formField } from '../forms.ts';
import { authState, currentLogin } from '../session.ts';
import type { SignedIn } from '../stytch/backend.ts';
import { StytchCallError } from '../stytch/errors.ts';
import { loginPage, type LoginView } from '../views/login.ts';
import { LOGIN_ERROR_STATUS, LoginError } from './errors.ts';
import { canonicalReturnTo, parseReturnTo, safeReturnTo } from './return-to.ts';

export function loginRouter(ctx: AppContext): Router {
  const router = Router();
  const { stytch, config } = ctx;
  const projectType = config.stytch.projectType;
  const demo = config.stytch.isDemo ? demoAccount(projectType) : undefined;

  const render = (req: Request, res: Response, status: number, view: Partial<LoginView>) => {
    const signedInAs = currentLogin(req)?.person;
    res
      .status(status)
      .type('html')
      .send(
        loginPage(ctx.view, {
          projectType,
          csrfToken: csrfToken(req),
          returnTo: view.returnTo ?? '/',
          ...(demo ? { demo } : {}),
          ...(signedInAs ? { signedInAs } : {}),
          ...view,
        }).toString(),
      );
  };

  router.get('/login', (req, res) => {
    const query = new URL(req.originalUrl, 'http://localhost').searchParams;
    const returnTo = query.getAll('return_to').length === 1 ? safeReturnTo(query.get('return_to')) : '/';
    render(req, res, 200, { returnTo });
  });

  router.post('/login', async (req, res) => {
    verifyCsrf(req);
    const returnTo = safeReturnTo(formField(req, 'return_to'));
    const email = formField(req, 'email')?.trim() ?? '';
    const password = formField(req, 'password') ?? '';
    const organization = formField(req, 'organization')?.trim() ?? '';
    const again: Partial<LoginView> = { returnTo, email, organization };

    let signedIn: SignedIn;
    try {
      if (!email || !password) throw new LoginError('missing_fields');
      if (projectType === 'b2b' && !organization) throw new LoginError('organization_required');
      signedIn = await stytch.loginWithPassword({ email, password, ...(organization ? { organization } : {}) });
    } catch (err) {
      const loginError = toLoginError(err);
      if (!loginError) throw err;
      req.log.info({ errorCode: loginError.code, ...(err instanceof StytchCallError ? { stytch: err.toLog() } : {}) }, 'login refused');
      render(req, res, LOGIN_ERROR_STATUS[loginError.code], { ...again, error: loginError.code });
      return;
    }

    const previous = currentLogin(req)?.sessionToken;
    await regenerateSession(req);
    const state = authState(req);
    state.login = { sessionToken: signedIn.sessionToken, subject: signedIn.subject, person: signedIn.person, authenticatedAt: Date.now() };
    const canonical = canonicalReturnTo(returnTo);
    // Lets exactly this authorization request through a `prompt=login` (see require-session.ts).
    if (canonical) state.freshLogin = { returnTo: canonical, at: Date.now() };
    await saveSession(req);
    req.log.info({ subject: signedIn.subject.id }, 'signed in');
    if (previous && previous !== signedIn.sessionToken) await revokeQuietly(ctx, req, previous);
    res.redirect(303, returnTo);
  });

  router.post('/logout', async (req, res) => {
    verifyCsrf(req);
    const returnTo = parseReturnTo(formField(req, 'return_to'));
    const token = currentLogin(req)?.sessionToken;
    if (token) await revokeQuietly(ctx, req, token);
    await destroySession(req);
    res.clearCookie(ctx.cookie.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.cookie.secure });
    res.redirect(303, returnTo ? `/login?return_to=${encodeURIComponent(returnTo)}` : '/login');
  });

  router.all(['/login', '/logout'], () => {
    throw new PageError('method_not_allowed');
  });

  return router;
}

function toLoginError(err: unknown): LoginError | undefined {
  if (err instanceof LoginError) return err;
  if (err instanceof StytchCallError) {
    if (err.code === 'stytch_rejected') return new LoginError('invalid_credentials', { cause: err });
    if (err.code === 'stytch_rate_limited') return new LoginError('rate_limited', { cause: err });
  }
  return undefined;
}

/**
 * The local session is gone either way; if Stytch cannot be told now, its session still expires on its own.
 * A Stytch that no longer knows the session has nothing to revoke.
 */
async function revokeQuietly(ctx: AppContext, req: Request, sessionToken: string): Promise<void> {
  try {
    await ctx.stytch.revokeSession(sessionToken);
  } catch (err) {
    if (err instanceof StytchCallError) {
      req.log[err.code === 'stytch_rejected' ? 'info' : 'warn'](err.toLog(), 'could not revoke the Stytch session');
      return;
    }
    throw err;
  }
}

function demoAccount(projectType: 'consumer' | 'b2b'): LoginView['demo'] {
  const login = demoLogin(loadDemoSeed(projectType));
  return { email: login.email, password: login.password, ...(login.organizationSlug ? { organization: login.organizationSlug } : {}) };
}
