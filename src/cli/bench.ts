/** `npx connected-app bench` (bench/cli.ts), from a checkout only. */
import { checkoutOnly } from './checkout-only.ts';

export const { run } = checkoutOnly('bench', new URL('../../bench/cli.ts', import.meta.url));
