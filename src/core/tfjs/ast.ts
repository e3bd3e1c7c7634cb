// ESTree node types as a plain object: the package exports AST_NODE_TYPES through a getter,
// which costs a call on every `case` of the evaluator's hot switches.
import { AST_NODE_TYPES } from '@typescript-eslint/typescript-estree';

export const T = { ...AST_NODE_TYPES } as typeof AST_NODE_TYPES;
