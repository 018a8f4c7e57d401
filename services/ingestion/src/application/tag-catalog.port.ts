import type { TagDefinition } from '../domain/tag-definition';

/** Read access to the plant's tag catalog (filled by the plant-model library). */
export interface TagCatalog {
  /** Definitions of the given tags that exist; unknown ids are simply absent from the map. */
  getTags(tagIds: readonly string[]): Promise<ReadonlyMap<string, TagDefinition>>;
  /** Tags in id order, optionally of one plant, paged by the last id seen. */
  listTags(query: { plantId?: string; afterTagId?: string; limit: number }): Promise<TagDefinition[]>;
}
