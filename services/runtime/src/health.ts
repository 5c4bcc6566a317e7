// Readiness: every registered check must answer within the timeout. While the process drains on
// SIGTERM, readiness fails first so Kubernetes stops routing new requests here.
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; throws (or times out) when it does not. */
  check: () => Promise<unknown>;
}

export interface ReadinessResult {
  ready: boolean;
  checks: Record<string, string>;
}

export class Readiness {
  private draining = false;

  constructor(
    private readonly checks: ReadinessCheck[],
    private readonly timeoutMs: number,
  ) {}

  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async run(): Promise<ReadinessResult> {
    if (this.draining)
      return { ready: false, checks: { shutdown: 'draining: the process is shutting down' } };
    const results = await Promise.all(this.checks.map((c) => withTimeout(c, this.timeoutMs)));
    const checks: Record<string, string> = {};
    let ready = true;
    this.checks.forEach((c, i) => {
      const r = results[i]!;
      checks[c.name] = r;
      if (r !== 'ok') ready = false;
    });
    return { ready, checks };
  }
}

async function withTimeout(c: ReadinessCheck, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`failed: no answer within ${ms} ms`), ms);
  });
  try {
    return await Promise.race([
      c.check().then(
        () => 'ok',
        (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
