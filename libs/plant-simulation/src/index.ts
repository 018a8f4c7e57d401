export * from './domain';
export { CYCLIC_FOULING, DEMO_TARGETS, dailyDemoScenario, dayStartMs, type DemoTargets } from './scenario/daily-scenario';
