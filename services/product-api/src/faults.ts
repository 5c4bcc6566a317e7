// TEST-ONLY fault injection (config faults.enabled; never in production values). Lets the
// monitoring engineer's alert tests make product routes slow or failing on demand.
import { HttpError, problemType } from '@techcommerce/runtime';

export interface FaultSettings {
  errorRatio: number;
  latencyMs: number;
}

export class FaultInjector {
  settings: FaultSettings = { errorRatio: 0, latencyMs: 0 };

  constructor(private readonly random: () => number = Math.random) {}

  async apply(): Promise<void> {
    const { errorRatio, latencyMs } = this.settings;
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (errorRatio > 0 && this.random() < errorRatio) {
      throw new HttpError(500, 'injected fault (faults.enabled is on; see PUT /admin/faults)', {
        type: problemType('injected-fault'),
      });
    }
  }
}
