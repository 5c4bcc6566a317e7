// security/trivyignore.yaml, the reviewed list of accepted Trivy findings: every entry has a
// reason and an expiry no more than 90 days ahead, and every scan in CI reads this file.
import fs from 'node:fs';
import path from 'node:path';
import { actionFiles, find, repoRoot, steps, type Json } from './helpers';
import { ignoreFileProblems, MAX_DAYS } from './trivyignore';

const IGNORE_FILE = 'security/trivyignore.yaml';
const today = new Date('2026-01-15T12:00:00Z');

describe(IGNORE_FILE, () => {
  it('follows the review rules today', () => {
    const text = fs.readFileSync(path.join(repoRoot, IGNORE_FILE), 'utf8');
    expect(ignoreFileProblems(text, new Date())).toEqual([]);
  });

  it('is the ignore file of the one Trivy step, which fails on fixable HIGH and CRITICAL findings', () => {
    const trivy = steps([find(actionFiles(), '.github/actions/trivy/action.yaml')]).filter((s) =>
      String(s.step.uses).startsWith('aquasecurity/trivy-action@'),
    );
    expect(trivy).toHaveLength(1);
    const step = trivy[0]!.step;
    expect((step.env as Json).TRIVY_IGNOREFILE).toBe(IGNORE_FILE);
    expect(step.with).toMatchObject({ severity: 'HIGH,CRITICAL', 'ignore-unfixed': true, 'exit-code': '1' });
    expect((step.with as Json).trivyignores).toBeUndefined();
  });

  it('every Trivy scan in the workflows goes through that step', () => {
    const direct = steps()
      .filter((s) => s.file.kind === 'workflow' && String(s.step.uses).startsWith('aquasecurity/'))
      .map((s) => s.where);
    expect(direct).toEqual([]);
  });
});

describe('ignoreFileProblems', () => {
  const entry = (fields: string) => `vulnerabilities:\n  - id: CVE-2026-0001\n${fields}`;
  const reason = '    statement: Only reachable from the build stage, never in the running image.\n';

  it('accepts an entry with a reason and a near expiry', () => {
    expect(ignoreFileProblems(entry(`${reason}    expired_at: 2026-03-01\n`), today)).toEqual([]);
    expect(ignoreFileProblems('vulnerabilities: []\nmisconfigurations: []\n', today)).toEqual([]);
  });

  it('rejects an entry without a reason', () => {
    expect(ignoreFileProblems(entry('    expired_at: 2026-03-01\n'), today)).toEqual([
      'vulnerabilities[0] CVE-2026-0001: statement must give the reason it is accepted (at least 20 characters)',
    ]);
  });

  it('rejects an entry without an expiry, an expired one, and one too far ahead', () => {
    expect(ignoreFileProblems(entry(reason), today)).toEqual([
      'vulnerabilities[0] CVE-2026-0001: expired_at must be a date (YYYY-MM-DD)',
    ]);
    expect(ignoreFileProblems(entry(`${reason}    expired_at: 2026-01-15\n`), today)).toEqual([
      'vulnerabilities[0] CVE-2026-0001: expired on 2026-01-15: fix the finding or review it again',
    ]);
    expect(ignoreFileProblems(entry(`${reason}    expired_at: 2026-06-30\n`), today)).toEqual([
      `vulnerabilities[0] CVE-2026-0001: expired_at 2026-06-30 is more than ${MAX_DAYS} days away`,
    ]);
    expect(ignoreFileProblems(entry(`${reason}    expired_at: 2026-02-30\n`), today)).toHaveLength(1);
  });

  it('rejects a missing id, unknown keys and unknown sections', () => {
    const text = 'vulnerabilities:\n  - statement: x\n    until: 2026-02-01\nvulns: []\n';
    expect(ignoreFileProblems(text, today)).toEqual([
      'vulnerabilities[0]: id is missing',
      'vulnerabilities[0]: unknown key "until"',
      'vulnerabilities[0]: statement must give the reason it is accepted (at least 20 characters)',
      'vulnerabilities[0]: expired_at must be a date (YYYY-MM-DD)',
      'unknown section "vulns" (Trivy reads vulnerabilities, misconfigurations, secrets, licenses)',
    ]);
  });
});
