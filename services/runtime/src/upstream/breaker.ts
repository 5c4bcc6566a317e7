// A circuit breaker per upstream. Closed: calls flow and outcomes are counted. It opens after
// `failureThreshold` consecutive failures, or when at least `minimumRequests` of the last
// `windowSize` calls include a `failureRatio` share of failures. Open: calls fail fast, nothing is
// sent, for `coolDownMs`. Then half-open: up to `halfOpenMaxCalls` trial calls go through; a
// success closes the circuit, a failure opens it for another cool-down.
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  failureThreshold?: number;
  failureRatio?: number;
  windowSize?: number;
  minimumRequests?: number;
  coolDownMs?: number;
  halfOpenMaxCalls?: number;
}

export const BREAKER_DEFAULTS: Required<BreakerSettings> = {
  failureThreshold: 5,
  failureRatio: 0.5,
  windowSize: 20,
  minimumRequests: 10,
  coolDownMs: 5000,
  halfOpenMaxCalls: 1,
};

/** Permission to make one call; hand it back with the outcome. */
export interface Permit {
  readonly generation: number;
  readonly trial: boolean;
}

export class CircuitBreaker {
  private readonly s: Required<BreakerSettings>;
  private current: BreakerState = 'closed';
  /** Bumped on every state change: outcomes of calls let through in an earlier state are stale. */
  private generation = 0;
  private openedAt = 0;
  private consecutiveFailures = 0;
  private readonly window: boolean[] = []; // true = failure, oldest first
  private windowFailures = 0;
  private trialsInFlight = 0;

  constructor(
    settings: BreakerSettings = {},
    private readonly now: () => number = Date.now,
    private readonly onChange?: (state: BreakerState, previous: BreakerState) => void,
  ) {
    this.s = { ...BREAKER_DEFAULTS, ...settings };
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.s.coolDownMs) this.move('half-open');
    return this.current;
  }

  /** Milliseconds until an open breaker lets a trial call through (0 unless open). */
  retryAfterMs(): number {
    return this.state === 'open' ? Math.max(0, this.s.coolDownMs - (this.now() - this.openedAt)) : 0;
  }

  /** A permit to call now, or undefined: fail fast without calling. */
  acquire(): Permit | undefined {
    const state = this.state;
    if (state === 'closed') return { generation: this.generation, trial: false };
    if (state === 'half-open' && this.trialsInFlight < this.s.halfOpenMaxCalls) {
      this.trialsInFlight++;
      return { generation: this.generation, trial: true };
    }
    return undefined;
  }

  /** failed: the upstream is unhealthy (no answer, timeout, 5xx); a 4xx counts as a success. */
  release(permit: Permit, failed: boolean): void {
    if (permit.generation !== this.generation) return;
    if (permit.trial) this.trialsInFlight--;
    if (this.current === 'half-open') {
      this.move(failed ? 'open' : 'closed');
      return;
    }
    if (this.current !== 'closed') return;
    this.consecutiveFailures = failed ? this.consecutiveFailures + 1 : 0;
    this.window.push(failed);
    if (failed) this.windowFailures++;
    if (this.window.length > this.s.windowSize && this.window.shift()) this.windowFailures--;
    const ratioTripped =
      this.window.length >= this.s.minimumRequests &&
      this.windowFailures / this.window.length >= this.s.failureRatio;
    if (this.consecutiveFailures >= this.s.failureThreshold || ratioTripped) this.move('open');
  }

  private move(to: BreakerState): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.generation++;
    this.trialsInFlight = 0;
    if (to === 'open') this.openedAt = this.now();
    if (to === 'closed' || to === 'open') {
      this.consecutiveFailures = 0;
      this.window.length = 0;
      this.windowFailures = 0;
    }
    this.onChange?.(to, from);
  }
}
