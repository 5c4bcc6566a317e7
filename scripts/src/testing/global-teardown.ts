export default async function globalTeardown(): Promise<void> {
  globalThis.__TC_PG__?.stop();
}
