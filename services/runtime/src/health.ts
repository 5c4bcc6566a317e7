// Readiness: every registered check must answer within the timeout. While the process drains on
// SIGTERM, readiness fails first so Kubernetes stops routing new requests here.
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; throws (or times out) when it does not. */
  check: () => Promise<unknown>;
}

export interface ReadinessResult {
  ready: boolean;
  /** Per check, what a caller may see: ok, failed, timed out, draining. */
  checks: Record<string, string>;
  /** Per failed check, why (the error's message): for the log only, never the response. */
  reasons: Record<string, string>;
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
      return {
        ready: false,
        checks: { shutdown: 'draining' },
        reasons: { shutdown: 'the process is shutting down' },
      };
    const results = await Promise.all(this.checks.map((c) => withTimeout(c, this.timeoutMs)));
    const checks: Record<string, string> = {};
    const reasons: Record<string, string> = {};
    let ready = true;
    this.checks.forEach((c, i) => {
      const r = results[i]!;
      checks[c.name] = r.status;
      if (r.reason) reasons[c.name] = r.reason;
      if (r.status !== 'ok') ready = false;
    });
    return { ready, checks, reasons };
  }
}

type CheckOutcome = { status: 'ok' | 'failed' | 'timed out'; reason?: string };

async function withTimeout(c: ReadinessCheck, ms: number): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'timed out', reason: `no answer within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([
      c.check().then(
        (): CheckOutcome => ({ status: 'ok' }),
        (err: unknown): CheckOutcome => ({
          status: 'failed',
          reason: err instanceof Error ? err.message : String(err),
        }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
