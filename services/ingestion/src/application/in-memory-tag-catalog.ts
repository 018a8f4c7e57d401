import type { TagDefinition } from '../domain/tag-definition';
import type { TagCatalog } from './tag-catalog.port';

/** A tag catalog held in memory: for tests, benchmarks and single-site deployments with a static list. */
export class InMemoryTagCatalog implements TagCatalog {
  private readonly tags = new Map<string, TagDefinition>();

  constructor(tags: Iterable<TagDefinition> = []) {
    for (const t of tags) this.put(t);
  }

  put(tag: TagDefinition): void {
    this.tags.set(tag.id, tag);
  }

  remove(tagId: string): void {
    this.tags.delete(tagId);
  }

  async getTags(tagIds: readonly string[]): Promise<ReadonlyMap<string, TagDefinition>> {
    const out = new Map<string, TagDefinition>();
    for (const id of tagIds) {
      const t = this.tags.get(id);
      if (t) out.set(id, t);
    }
    return out;
  }

  async listTags(query: { plantId?: string; afterTagId?: string; limit: number }): Promise<TagDefinition[]> {
    return [...this.tags.values()]
      .filter((t) => (query.plantId === undefined || t.plantId === query.plantId) && (query.afterTagId === undefined || t.id > query.afterTagId))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, query.limit);
  }
}
