import { Registry } from 'prom-client';
import { ComponentHealth } from './component-health';

describe('ComponentHealth', () => {
  it('is unhealthy while a component has stopped or failed, and healthy again once it runs', () => {
    const health = new ComponentHealth();
    const heard: string[] = [];
    health.onChange((report) => heard.push(`${report.name}:${report.state}`));
    health.report('bus:balancing', 'consumer', 'running');
    health.report('projection:balances', 'subscription', 'degraded', 'retrying');
    expect(health.healthy()).toBe(true);
    health.report('bus:balancing', 'consumer', 'failed', 'poison event');
    expect(health.healthy()).toBe(false);
    expect(health.unhealthy().map((r) => r.name)).toEqual(['bus:balancing']);
    health.report('bus:balancing', 'consumer', 'running');
    expect(health.healthy()).toBe(true);
    expect(heard).toEqual(['bus:balancing:running', 'projection:balances:degraded', 'bus:balancing:failed', 'bus:balancing:running']);
  });

  it('does not hold components stopped during shutdown against health', () => {
    const health = new ComponentHealth();
    health.beginShutdown();
    health.report('relay', 'relay', 'stopped');
    expect(health.healthy()).toBe(true);
  });

  it('exports each component state as a gauge', async () => {
    const registry = new Registry();
    const health = new ComponentHealth(registry);
    health.report('relay', 'relay', 'degraded');
    const text = await registry.metrics();
    expect(text).toContain('reflux_component_state{component="relay",kind="relay"} 0.5');
  });
});
