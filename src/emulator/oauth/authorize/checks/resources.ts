import { resourceProblem } from '../../resources.ts';
import { idpErrors } from '../errors.ts';

/**
 * RFC 8707 at authorization: each `resources` value must be an absolute URI without a fragment; the
 * valid ones, deduplicated, are granted with the code (oauth/resources.ts).
 */
export function checkResources(resources: string[] | undefined): string[] {
  const unique = [...new Set(resources ?? [])];
  for (const resource of unique) {
    const problem = resourceProblem(resource);
    if (problem) throw idpErrors.invalidResource(problem);
  }
  return unique;
}
