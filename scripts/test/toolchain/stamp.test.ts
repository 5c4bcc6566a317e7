import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inputsHash, readStamp, stampIsCurrent, writeStamp } from '../../src/tools/stamp';

describe('stamps', () => {
  it('hash the same inputs the same whatever the key order, and differently when a value changes', () => {
    const a = inputsHash({ go: 'go1.26.8', flags: '-s -w', nested: { x: 1, y: [1, 2] } });
    const b = inputsHash({ nested: { y: [1, 2], x: 1 }, flags: '-s -w', go: 'go1.26.8' });
    expect(a).toBe(b);
    expect(inputsHash({ go: 'go1.26.9', flags: '-s -w', nested: { x: 1, y: [1, 2] } })).not.toBe(a);
    expect(inputsHash({ go: 'go1.26.8', flags: '-s -w', nested: { x: 1, y: [2, 1] } })).not.toBe(a);
  });

  it('round-trip through a file and are current only for the same tool, version and inputs', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tc-stamp-')), 'stamps', 'helm.json');
    expect(readStamp(file)).toBeUndefined();
    writeStamp(file, { tool: 'helm', version: 'v3.22.0', inputs: 'abc', how: 'built', at: 'now' });
    const stamp = readStamp(file);
    expect(stampIsCurrent(stamp, 'helm', 'v3.22.0', 'abc')).toBe(true);
    expect(stampIsCurrent(stamp, 'helm', 'v3.22.1', 'abc')).toBe(false);
    expect(stampIsCurrent(stamp, 'helm', 'v3.22.0', 'abd')).toBe(false);
    expect(stampIsCurrent(stamp, 'helm4', 'v3.22.0', 'abc')).toBe(false);
  });
});
