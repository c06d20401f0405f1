/**
 * Response headers for every page (FE-3, cat. FE-5, cat. FE-6).
 *
 * No `form-action` directive on purpose: Chromium applies it to the redirect that follows a form POST, and
 * the consent POST redirects (303) to the client on another origin, which `form-action 'self'` would block.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(opts: { https: boolean }): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'none'"],
          'style-src': ["'self'"],
          // Client logos: https anywhere, or http on localhost (the same rule as safeExternalUrl).
          'img-src': ["'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*'],
          'font-src': ["'self'"],
          'connect-src': ["'none'"],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
          'frame-ancestors': ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      // HSTS only means something over https; on http://localhost it would be ignored anyway.
      strictTransportSecurity: opts.https,
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
    (_req, res, next) => {
      // Pages hold OAuth parameters and per-session tokens: never cache them.
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
      next();
    },
  ];
}
