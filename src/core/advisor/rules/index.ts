// Every advisor rule, in the order they are documented (docs/advisor.md).
import type { Rule } from '../types';
import { alignmentRule, channelsLastRule, vocabPaddingRule } from './alignment';
import { localAttentionRule, mhaSdpaRule } from './attentionLayers';
import { checkpointingRule } from './checkpointing';
import { sdpaRule } from './sdpa';
import { moeRule, sparsityRule } from './sparsity';
import { autocastRule, dataLoaderRule, fusedOptimizerRule, itemSyncRule, torchCompileRule } from './training';

export const RULES: Rule[] = [
  sdpaRule,
  mhaSdpaRule,
  localAttentionRule,
  sparsityRule,
  moeRule,
  autocastRule,
  checkpointingRule,
  alignmentRule,
  vocabPaddingRule,
  channelsLastRule,
  dataLoaderRule,
  fusedOptimizerRule,
  torchCompileRule,
  itemSyncRule,
];
