// The semantic rules, in the order their findings are listed.
import { autoscalingRule } from './autoscaling';
import { connectionsRule } from './connections';
import type { Rule } from './context';
import { databaseRule } from './database';
import { faultsRule } from './faults';
import { globalConfigRule } from './global-config';
import { graceRule } from './grace';
import { hostsRule } from './hosts';
import { imagesRule } from './images';
import { networkRule } from './network';
import { pdbRule } from './pdb';
import { portsRule } from './ports';
import { resourcesRule } from './resources';
import { secretsRule } from './secrets';

export const rules: readonly Rule[] = [
  resourcesRule,
  autoscalingRule,
  pdbRule,
  graceRule,
  imagesRule,
  secretsRule,
  globalConfigRule,
  portsRule,
  hostsRule,
  faultsRule,
  databaseRule,
  connectionsRule,
  networkRule,
];
