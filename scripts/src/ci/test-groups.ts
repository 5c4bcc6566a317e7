// The jest projects the GitHub test matrix runs in parallel, by group: every project of
// jest.config.js belongs to exactly one group (scripts/test/workflows checks it), so the matrix
// names groups and this file is the one list of what each runs.
export const TEST_GROUPS: Record<string, readonly string[]> = {
  services: ['runtime', 'product-api', 'order-api', 'frontend'],
  tooling: ['scripts', 'values', 'toolchain', 'workflows'],
  charts: ['charts', 'monitoring'],
  'release-and-browser': ['release', 'browser', 'images'],
};

export function groupProjects(name: string): readonly string[] {
  const projects = TEST_GROUPS[name];
  if (!projects)
    throw new Error(`unknown test group "${name}" (groups: ${Object.keys(TEST_GROUPS).join(', ')})`);
  return projects;
}
