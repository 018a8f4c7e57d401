import type { z } from 'zod';
import type { FieldIssue } from './contract.error';

/** Flattens zod issues into `path: message` pairs, the path prefixed (`data.tagIds.2`). */
export function toFieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { path: [prefix, path].filter(Boolean).join('.'), message: issue.message };
  });
}
