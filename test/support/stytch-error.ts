/**
 * The `StytchError` a Stytch SDK call throws, for asserting on its `status_code` and `error_type`: the call
 * must fail with one, else the test fails.
 */
import * as stytch from 'stytch';

export async function stytchError(call: () => Promise<unknown>): Promise<stytch.StytchError> {
  try {
    await call();
  } catch (err) {
    if (err instanceof stytch.StytchError) return err;
    throw err;
  }
  throw new Error('expected a StytchError, but the call succeeded');
}
