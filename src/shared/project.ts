/** A Stytch project's kind: Consumer (users) or B2B (organizations and members). */
export const PROJECT_TYPES = ['consumer', 'b2b'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];
