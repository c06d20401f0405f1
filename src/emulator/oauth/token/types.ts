import type { Request } from 'express';
import type { EmulatorContext } from '../../context.ts';
import type { AuthenticatedClient } from '../client-auth.ts';
import type { TokenResponse } from '../tokens.ts';

/** One grant type of the token endpoint; the client is already authenticated. */
export type GrantHandler = (ctx: EmulatorContext, req: Request, auth: AuthenticatedClient) => Promise<TokenResponse>;
