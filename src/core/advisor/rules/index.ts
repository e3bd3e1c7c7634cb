// Every advisor rule, in the order they are documented (docs/advisor.md).
import type { Rule } from '../types';
import { sdpaRule } from './sdpa';

export const RULES: Rule[] = [sdpaRule];
