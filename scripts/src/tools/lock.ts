// One installer at a time per step: `npm test` runs the installer too, and two processes
// building the same tool into the same folder would corrupt each other. A lock held by a
// process that no longer exists is taken over.
import fs from 'node:fs';
import path from 'node:path';

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file (waiting for a live holder) and returns its release function. */
export function acquire(file: string, onWait: (pid: number) => void): () => void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number(fs.readFileSync(file, 'utf8').trim());
    if (!holder || !alive(holder) || holder === process.pid) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!announced) onWait(holder);
    announced = true;
    sleep(2000);
  }
}
