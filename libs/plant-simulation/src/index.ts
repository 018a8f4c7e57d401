export * from './domain';
export { DEMO_TARGETS, dailyDemoScenario, dayStartMs, type DemoTargets } from './scenario/daily-scenario';
