// kubectl against one kubeconfig, with the toolchain's PATH; JSON in and out.
import { requireTool, toolEnv } from '../tools/paths';
import { mustRun, runCommand, type CommandOptions, type CommandResult } from './command';

export class Kubectl {
  constructor(
    readonly kubeconfig: string | undefined,
    private readonly bin = requireTool('kubectl'),
  ) {}

  private opts(opts: CommandOptions): CommandOptions {
    const env = { ...toolEnv(), ...opts.env };
    if (this.kubeconfig) env.KUBECONFIG = this.kubeconfig;
    return { timeoutMs: 120_000, ...opts, env };
  }

  run(args: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
    return runCommand(this.bin, args, this.opts(opts));
  }

  async must(args: readonly string[], opts: CommandOptions = {}): Promise<string> {
    return (await mustRun(this.bin, args, this.opts(opts))).stdout;
  }

  async json<T = Record<string, unknown>>(args: readonly string[]): Promise<T> {
    return JSON.parse(await this.must([...args, '-o', 'json'])) as T;
  }

  /** Server-side apply of a manifest text (YAML or JSON), as one field manager. */
  apply(manifest: string, extra: readonly string[] = []): Promise<string> {
    return this.must(
      ['apply', '--server-side', '--force-conflicts', '--field-manager=techcommerce', '-f', '-', ...extra],
      { input: manifest },
    );
  }
}

export interface KubeList<T> {
  items: T[];
}
