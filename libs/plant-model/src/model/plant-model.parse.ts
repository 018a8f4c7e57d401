import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath, type PlantModelIssue } from './plant-model.issues';
import { plantModelSchema, type PlantModel } from './plant-model.schema';
import { validatePlantModel } from './plant-model.validate';

export type PlantModelFormat = 'yaml' | 'json';

export type ParsePlantModelResult =
  | { readonly ok: true; readonly model: PlantModel }
  | { readonly ok: false; readonly issues: readonly PlantModelIssue[] };

/**
 * Reads a plant-model document. On failure lists every problem found: syntax errors (with line),
 * schema violations, then cross-reference problems of a structurally valid document.
 */
export const parsePlantModel = (text: string, format: PlantModelFormat): ParsePlantModelResult => {
  const raw = readDocument(text, format);
  if ('issues' in raw) return { ok: false, issues: raw.issues };
  return checkPlantModel(raw.value);
};

/** Validates an already-decoded document (e.g. from a JSON column or a gRPC struct). */
export const checkPlantModel = (value: unknown): ParsePlantModelResult => {
  const parsed = plantModelSchema.safeParse(value);
  if (!parsed.success) return { ok: false, issues: schemaIssues(parsed.error) };
  const issues = validatePlantModel(parsed.data);
  return issues.length === 0 ? { ok: true, model: parsed.data } : { ok: false, issues };
};

const readDocument = (text: string, format: PlantModelFormat): { value: unknown } | { issues: PlantModelIssue[] } => {
  if (format === 'json') {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (error) {
      return { issues: [{ path: '', code: 'SYNTAX.JSON', message: (error as Error).message }] };
    }
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0)
    return {
      issues: document.errors.map((error) => ({
        path: '',
        code: `SYNTAX.YAML.${error.code}`,
        message: error.linePos ? `line ${error.linePos[0].line}: ${error.message}` : error.message,
      })),
    };
  return { value: document.toJS({ maxAliasCount: 1000 }) as unknown };
};

const schemaIssues = (error: z.ZodError): PlantModelIssue[] =>
  error.issues.map((issue) => ({
    path: formatPath(issue.path),
    code: `SCHEMA.${issue.code.toUpperCase()}`,
    message: issue.message,
  }));
