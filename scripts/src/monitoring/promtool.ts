// promtool on the chart's rendered rules: `check rules` and the unit tests in
// charts/monitoring/tests/promtool/*.yaml. Each test file names `rules.yaml` as its rule file;
// the rules are rendered next to a copy of it, because they only exist once Helm has rendered
// them from values.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireTool, toolEnv } from '../tools/paths';
import { chartDir, type RenderOptions, writeRuleFile } from './chart';

export const promtoolTestDir = path.join(chartDir, 'tests', 'promtool');
/** The rule file name every promtool test file refers to. */
export const RULE_FILE = 'rules.yaml';

export interface ToolResult {
  ok: boolean;
  output: string;
}

function promtool(args: string[], cwd: string): ToolResult {
  const r = spawnSync(requireTool('promtool'), args, {
    cwd,
    env: toolEnv(),
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.error) throw r.error;
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export function promtoolTestFiles(): string[] {
  return fs
    .readdirSync(promtoolTestDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** Renders the rules into a fresh folder; returns the folder (the caller removes it). */
export function renderRulesDir(opts: RenderOptions = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-rules-'));
  writeRuleFile(path.join(dir, RULE_FILE), opts);
  return dir;
}

/** `promtool check rules` of the rendered rules. */
export function checkRules(dir: string): ToolResult {
  return promtool(['check', 'rules', RULE_FILE], dir);
}

/** `promtool test rules` of one test file against the rendered rules in dir. */
export function testRules(dir: string, testFile: string): ToolResult {
  const name = path.basename(testFile);
  fs.copyFileSync(path.resolve(promtoolTestDir, testFile), path.join(dir, name));
  return promtool(['test', 'rules', name], dir);
}
