// `npm run monitoring -- <command>`: the monitoring chart's rules and the kube-prometheus-stack it
// is made for, from the command line.
//   render-rules [-f values.yaml]... [--out FILE]   the rendered rules as one Prometheus rule file
//   test-rules [-f values.yaml]...                   promtool check rules + every promtool unit test
//   kps-install [--dry-run]                          install kube-prometheus-stack as its own release
import fs from 'node:fs';
import { stringify } from 'yaml';
import { answerHelp } from '../cli/help';
import { renderChart, ruleGroups } from './chart';
import { kpsInstallCommands, runCommands } from './kps';
import { checkRules, promtoolTestFiles, renderRulesDir, testRules } from './promtool';

function valuesArgs(args: string[]): string[] {
  const files: string[] = [];
  args.forEach((a, i) => {
    if (a !== '-f' && a !== '--values') return;
    const file = args[i + 1];
    if (!file) throw new Error(`${a} needs a values file`);
    files.push(file);
  });
  return files;
}

const USAGE = `usage: npm run monitoring -- <command> [options]
  render-rules [-f values.yaml]... [--out FILE]   the rendered rules as one Prometheus rule file
  test-rules [-f values.yaml]...                   promtool check rules + every promtool unit test
  kps-install [--dry-run]                          install kube-prometheus-stack as its own release`;

function main(argv: string[]): number {
  answerHelp(argv, USAGE);
  const [command, ...args] = argv;
  switch (command) {
    case 'render-rules': {
      const text = stringify(
        { groups: ruleGroups(renderChart({ values: valuesArgs(args) })) },
        { lineWidth: 0 },
      );
      const out = args[args.indexOf('--out') + 1];
      if (args.includes('--out') && out) fs.writeFileSync(out, text);
      else process.stdout.write(text);
      return 0;
    }
    case 'test-rules': {
      const dir = renderRulesDir({ values: valuesArgs(args) });
      try {
        let ok = true;
        for (const r of [checkRules(dir), ...promtoolTestFiles().map((f) => testRules(dir, f))]) {
          process.stdout.write(r.output);
          ok &&= r.ok;
        }
        return ok ? 0 : 1;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    case 'kps-install': {
      const commands = kpsInstallCommands();
      if (args.includes('--dry-run')) {
        for (const c of commands) console.log(c.join(' '));
        return 0;
      }
      return runCommands(commands);
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
