export default async function globalTeardown(): Promise<void> {
  const stops = globalThis.__REFLUX_TEST_SERVERS__ ?? [];
  await Promise.allSettled(stops.map((stop) => stop()));
}
