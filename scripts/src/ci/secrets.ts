// Secret scanning of the history of HEAD with gitleaks (redacted output): gitleaks' default rules
// and the test-fixture paths of security/gitleaks.toml; single findings that were reviewed and
// are not secrets are listed by fingerprint, each with its reason, in security/gitleaksignore.
import path from 'node:path';

export const GITLEAKS_CONFIG = 'security/gitleaks.toml';
export const GITLEAKS_IGNORE = 'security/gitleaksignore';

export function gitleaksArgs(repo: string): string[] {
  return [
    'git',
    '--redact',
    '--no-banner',
    '--exit-code',
    '1',
    '--config',
    path.join(repo, GITLEAKS_CONFIG),
    '--gitleaks-ignore-path',
    path.join(repo, GITLEAKS_IGNORE),
    // The branch being checked, not every ref the clone happens to hold (gitleaks' default --all).
    '--log-opts=--full-history HEAD',
    repo,
  ];
}
