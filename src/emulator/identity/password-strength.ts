/**
 * Password strength as Stytch's default policy scores it: zxcvbn (here zxcvbn-ts with its common dictionaries),
 * the person's email as a user input, a score of 3 or more to pass. The SDK documents the threshold on
 * `PasswordsStrengthCheckResponse.score` ("Values will be between 1 and 4, a 3 or greater is required to pass
 * validation", types/lib/b2c/passwords.d.ts) and the policy at https://stytch.com/docs/guides/passwords/strength-policy.
 *
 * Breach detection (HaveIBeenPwned) cannot run offline: the emulator never reports a breached password, and
 * says so with `breach_detection_on_create: false`.
 */
import type { TranslationKeys, ZxcvbnFactory } from '@zxcvbn-ts/core';

/** Stytch's default policy. */
export const STRENGTH_POLICY = 'zxcvbn';
export const PASSING_SCORE = 3;
/** Longer passwords are not scored (zxcvbn's cost grows with the length); Stytch's own limit is not documented. */
export const MAX_SCORED_LENGTH = 256;

/** The feedback texts, in English (zxcvbn-ts ships only the keys without a language package). */
const translations: TranslationKeys = {
  warnings: {
    straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
    keyPattern: 'Short keyboard patterns are easy to guess.',
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
    sequences: 'Common character sequences like "abc" are easy to guess.',
    recentYears: 'Recent years are easy to guess.',
    dates: 'Dates are easy to guess.',
    topTen: 'This is a heavily used password.',
    topHundred: 'This is a frequently used password.',
    common: 'This is a commonly used password.',
    similarToCommon: 'This is similar to a commonly used password.',
    wordByItself: 'Single words are easy to guess.',
    namesByThemselves: 'Single names or surnames are easy to guess.',
    commonNames: 'Common names and surnames are easy to guess.',
    userInputs: 'There should not be any personal or page related data.',
    pwned: 'Your password was exposed by a data breach on the Internet.',
  },
  suggestions: {
    l33t: "Avoid predictable letter substitutions like '@' for 'a'.",
    reverseWords: 'Avoid reversed spellings of common words.',
    allUppercase: 'Capitalize some, but not all letters.',
    capitalization: 'Capitalize more than the first letter.',
    dates: 'Avoid dates and years that are associated with you.',
    recentYears: 'Avoid recent years.',
    associatedYears: 'Avoid years that are associated with you.',
    sequences: 'Avoid common character sequences.',
    repeated: 'Avoid repeated words and characters.',
    longerKeyboardPattern: 'Use longer keyboard patterns and change typing direction multiple times.',
    anotherWord: 'Add more words that are less common.',
    useWords: 'Use multiple words, but avoid common phrases.',
    noNeed: 'You can create strong passwords without using symbols, numbers, or uppercase letters.',
    pwned: 'If you use this password elsewhere, you should change it.',
  },
  timeEstimation: {
    ltSecond: 'less than a second',
    second: '{base} second',
    seconds: '{base} seconds',
    minute: '{base} minute',
    minutes: '{base} minutes',
    hour: '{base} hour',
    hours: '{base} hours',
    day: '{base} day',
    days: '{base} days',
    month: '{base} month',
    months: '{base} months',
    year: '{base} year',
    years: '{base} years',
    centuries: 'centuries',
  },
};

let zxcvbn: Promise<ZxcvbnFactory> | undefined;

/**
 * The scorer, built at the first check: its dictionaries are 6 MiB of heap (a third of the idle emulator's), and
 * most runs never check a password's strength.
 */
function scorer(): Promise<ZxcvbnFactory> {
  zxcvbn ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([{ ZxcvbnFactory }, { adjacencyGraphs, dictionary }]) => new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, translations }),
  );
  return zxcvbn;
}

/** The fields of Stytch's strength-check response (PasswordsStrengthCheckResponse, without request_id/status_code). */
export interface StrengthCheck {
  valid_password: boolean;
  score: number;
  breached_password: boolean;
  strength_policy: string;
  breach_detection_on_create: boolean;
  feedback: { warning: string; suggestions: string[] };
}

export async function strengthCheck(password: string, email?: string): Promise<StrengthCheck> {
  const userInputs = email ? [email, email.split('@')[0] ?? email] : [];
  const result = password.length > MAX_SCORED_LENGTH ? undefined : (await scorer()).check(password, userInputs);
  const score = result?.score ?? 0;
  return {
    valid_password: score >= PASSING_SCORE,
    score,
    breached_password: false,
    strength_policy: STRENGTH_POLICY,
    breach_detection_on_create: false,
    feedback: result
      ? { warning: result.feedback.warning ?? '', suggestions: result.feedback.suggestions }
      : { warning: `Passwords longer than ${MAX_SCORED_LENGTH} characters are not accepted.`, suggestions: [] },
  };
}
