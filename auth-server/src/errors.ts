/**
 * Every error the auth-server shows, in three parts: the error types (errors/types.ts), the texts of the
 * error pages (errors/pages.ts), and the one middleware that turns them into responses (errors/middleware.ts).
 */
export { errorHandler, errorRedirectUrl, toPageError } from './errors/middleware.ts';
export { PAGE_ERRORS, type PageErrorText } from './errors/pages.ts';
export { OAuthRedirectError, type OAuthErrorCode, PageError, type PageErrorCode, type PageErrorDetails } from './errors/types.ts';
