import { INTEGRATION_CATEGORY } from '../postgres/integration-event.codec';
import { assertOutboxCategory, assertWritableCategory, OUTBOX_CATEGORY_PATTERN, outboxCategory, outboxCategoryProblem } from './outbox-category';

describe('outbox categories', () => {
  it('builds the category of a service from its name', () => {
    expect(outboxCategory('ingestion')).toBe('outbox-ingestion-');
    expect(outboxCategory('plant_model2')).toBe('outbox-plant_model2-');
  });

  it('refuses names that would make one category a prefix of another', () => {
    expect(() => outboxCategory('ingestion-eu')).toThrow(expect.objectContaining({ code: 'MESSAGING.INVALID_CONFIG', details: { field: 'name', value: 'outbox-ingestion-eu-' } }));
    expect(() => outboxCategory('')).toThrow(/not an outbox category/);
    expect(() => outboxCategory('Ingestion')).toThrow(/not an outbox category/);
  });

  it('accepts no category that is a prefix of another valid one', () => {
    const samples = ['outbox-a-', 'outbox-ab-', 'outbox-a_b-', 'outbox-ab1-', 'outbox-', 'outbox-a-b-', 'outboxa-', 'outbox-a', 'outbox-1a-'];
    const valid = samples.filter((c) => OUTBOX_CATEGORY_PATTERN.test(c));
    expect(valid).toEqual(['outbox-a-', 'outbox-ab-', 'outbox-a_b-', 'outbox-ab1-']);
    for (const x of valid) for (const y of valid) if (x !== y) expect([x, y, y.startsWith(x)]).toEqual([x, y, false]);
  });

  it('names the missing category', () => {
    expect(outboxCategoryProblem(undefined)).toMatch(/^is required/);
    expect(() => assertOutboxCategory('', 'options.category')).toThrow(/^options\.category is required/);
  });

  it('lets a transactional outbox write to the PostgreSQL bus log but no relay read it', () => {
    expect(() => assertWritableCategory(INTEGRATION_CATEGORY)).not.toThrow();
    expect(() => assertWritableCategory('outbox-balancing-')).not.toThrow();
    expect(() => assertWritableCategory('integration-x-')).toThrow(/or "integration-" to write to the PostgreSQL bus/);
    expect(() => assertOutboxCategory(INTEGRATION_CATEGORY)).toThrow(/not an outbox category/);
  });
});
