// Deciding whether an installed binary is the pinned one, from what its --version prints.

const SEMVER = /\bv?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.~-]+)?)/;

/** The first version-looking token of a tool's output, without a leading "v" ("v1.34.4" → "1.34.4"). */
export function extractVersion(output: string): string | undefined {
  return SEMVER.exec(output)?.[1];
}

/**
 * True when `found` is exactly the pinned release. Build metadata after "+" is ignored (helm
 * prints "v3.22.0+gabc", Debian "2.42.0+ds"); a pre-release or another patch is not the pin.
 */
export function versionMatches(found: string | undefined, pinned: string): boolean {
  if (!found) return false;
  const core = (v: string) => v.replace(/^v/, '').split('+')[0];
  return core(found) === core(pinned);
}

/** Why an output does not show the pinned version, or undefined when it does. */
export function versionProblem(output: string | undefined, pinned: string): string | undefined {
  if (output === undefined) return 'does not run';
  const found = extractVersion(output);
  if (versionMatches(found, pinned)) return undefined;
  return found
    ? `reports ${found}, pinned ${pinned.replace(/^v/, '')}`
    : `prints no version (pinned ${pinned})`;
}
