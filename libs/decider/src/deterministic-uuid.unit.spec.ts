import { deterministicUuid } from './deterministic-uuid';

describe('deterministicUuid', () => {
  it('gives the same version-8 UUID for the same name and another for another name', () => {
    const a = deterministicUuid('balance-demo-20261205T100000Z-20261205T110000Z');
    expect(deterministicUuid('balance-demo-20261205T100000Z-20261205T110000Z')).toBe(a);
    expect(deterministicUuid('balance-demo-20261205T110000Z-20261205T120000Z')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
