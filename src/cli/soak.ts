/** `npx connected-app soak` (bench/soak-cli.ts), from a checkout only. */
import { checkoutOnly } from './checkout-only.ts';

export const { run } = checkoutOnly('soak', new URL('../../bench/soak-cli.ts', import.meta.url));
