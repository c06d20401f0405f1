import { defineScenario } from '../types.ts';

/** UserInfo answers about someone other than the person in the ID token. */
export const userinfoSubMismatch = defineScenario({
  name: 'userinfo-sub-mismatch',
  description: "The UserInfo response's `sub` differs from the ID token's.",
  rpMustDo: "Discard the UserInfo response and sign nobody in: its `sub` must match the ID token's (OIDC Core §5.3.2).",
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED', check: 'sub' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-userinfo-invalid-sub',
  step: 'login',
  userinfo(claims) {
    claims.sub = `${String(claims.sub)}-someone-else`;
  },
});
