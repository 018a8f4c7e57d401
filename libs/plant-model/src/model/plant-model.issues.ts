/** One problem found in a plant-model document, located by a path such as `streams[3].from`. */
export interface PlantModelIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

export const formatPath = (segments: readonly PropertyKey[]): string =>
  segments
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
