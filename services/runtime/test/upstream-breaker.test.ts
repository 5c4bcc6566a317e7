// The circuit breaker on its own, with a clock the test moves.
import { CircuitBreaker, type BreakerState } from '@techcommerce/runtime';

function setup(settings = {}) {
  let t = 0;
  const changes: string[] = [];
  const b = new CircuitBreaker(
    {
      failureThreshold: 3,
      windowSize: 10,
      minimumRequests: 6,
      failureRatio: 0.5,
      coolDownMs: 1000,
      ...settings,
    },
    () => t,
    (to: BreakerState, from: BreakerState) => changes.push(`${from}->${to}`),
  );
  const call = (failed: boolean) => {
    const p = b.acquire();
    if (!p) return false;
    b.release(p, failed);
    return true;
  };
  return { b, call, changes, advance: (ms: number) => (t += ms) };
}

describe('circuit breaker', () => {
  test('opens after consecutive failures, fails fast while open, lets one trial through after the cool-down', () => {
    const { b, call, changes, advance } = setup();
    expect([call(true), call(true)]).toEqual([true, true]);
    expect(b.state).toBe('closed');
    call(true);
    expect(b.state).toBe('open');
    expect(b.acquire()).toBeUndefined();
    advance(400);
    expect(b.retryAfterMs()).toBe(600);
    advance(600);
    expect(b.state).toBe('half-open');
    const trial = b.acquire();
    expect(trial).toMatchObject({ trial: true });
    expect(b.acquire()).toBeUndefined(); // halfOpenMaxCalls 1: the second waits for the first
    b.release(trial!, false);
    expect(b.state).toBe('closed');
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  test('a failed trial opens the circuit for another cool-down', () => {
    const { b, call, advance } = setup();
    for (let i = 0; i < 3; i++) call(true);
    advance(1000);
    expect(call(true)).toBe(true);
    expect(b.state).toBe('open');
    expect(b.retryAfterMs()).toBe(1000);
    advance(999);
    expect(b.acquire()).toBeUndefined();
  });

  test('a success resets the consecutive count; the failure ratio over the window opens it', () => {
    const { b, call } = setup();
    // fail, fail, ok, fail, fail, ok: never three in a row, but 4 of 6 failed (>= 50 %).
    for (const failed of [true, true, false, true, true]) call(failed);
    expect(b.state).toBe('closed'); // 5 calls: below minimumRequests
    call(false);
    expect(b.state).toBe('open');
  });

  test('a ratio below the threshold keeps it closed, and old outcomes leave the window', () => {
    const { b, call } = setup({ failureThreshold: 100 });
    for (let i = 0; i < 10; i++) call(i % 3 === 0); // 4 of 10 failed
    expect(b.state).toBe('closed');
    for (let i = 0; i < 10; i++) call(false);
    for (let i = 0; i < 4; i++) call(i % 2 === 0); // window: 8 ok + 2 failed
    expect(b.state).toBe('closed');
  });

  test('outcomes of calls let through before a state change do not count afterwards', () => {
    const { b, call, advance } = setup();
    const slow = b.acquire()!; // started while closed
    for (let i = 0; i < 3; i++) call(true);
    expect(b.state).toBe('open');
    b.release(slow, false); // a late success must not close the circuit
    expect(b.state).toBe('open');
    advance(1000);
    const trial = b.acquire()!;
    const stale = { generation: slow.generation, trial: true };
    b.release(stale, false); // nor free the trial slot
    expect(b.acquire()).toBeUndefined();
    b.release(trial, false);
    expect(b.state).toBe('closed');
  });
});
