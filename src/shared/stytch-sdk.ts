/**
 * The `stytch` SDK prints "[Stytch] Warning: Using a custom 'env' value …" on every client construction whose
 * base URL is not Stytch's. Pointing it at the local emulator is this toolkit's default, so that line would
 * only confuse; `quietEmulatorClient` constructs a client without it, and lets every other warning through.
 */
const CUSTOM_ENV_WARNING = "[Stytch] Warning: Using a custom 'env' value";

export function quietEmulatorClient<T>(make: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith(CUSTOM_ENV_WARNING)) return;
    warn(...args);
  };
  try {
    return make();
  } finally {
    console.warn = warn;
  }
}
