// Collects the cost of every layer and op that runs during an abstract forward pass,
// with who owns it (module stack) and which source lines caused it (call stack).
import type { Interpreter } from '../interp/interpreter';
import type { SymNum } from '../interp/symbolic';
import type { PyInstance } from '../interp/values';

export interface CostEvent {
  kind: 'layer' | 'op';
  /** The catalogue layer instance (kind 'layer') or the module whose forward called the op. */
  module: PyInstance | undefined;
  /** Layer class or op name ("Conv2d", "matmul", "F.softmax"). */
  type: string;
  /** The call stack when the op ran, outermost first, 1-based lines (ops only). */
  sites?: { file: string; line: number }[];
  macs: SymNum;
  /** Elementwise FLOPs (activations, norms, softmax, adds), reported apart from MACs. */
  elementwise: SymNum;
  /** Shapes of the outputs. */
  outputShapes: (readonly SymNum[] | null)[];
  /** Elements of new tensors this event allocates (views and in-place ops allocate none). */
  outputElements: SymNum;
  /** Bytes per element of those outputs. */
  outputBytesPerElement: number;
  /** Formula with numbers, for hovers. */
  formula?: string;
  /** Why a cost could not be known. */
  unknownReason?: string;
  attention?: import('../ops/layerSpec').AttentionCost;
}

/** One call of a user-defined module's forward: the unit activation checkpointing wraps. */
export interface ModuleCall {
  module: PyInstance;
  /** Elements of the tensors passed in. */
  inputElements: SymNum;
  /** Index range of the events recorded during the call. */
  firstEvent: number;
  lastEvent: number;
  depth: number;
  /** Shape of the first tensor the call returned. */
  outputShape?: readonly SymNum[] | null;
}

/** A region the code runs under torch.utils.checkpoint: its input is kept, the rest recomputed. */
export interface CheckpointRegion {
  inputElements: SymNum;
  firstEvent: number;
  lastEvent: number;
}

export class CostRecorder {
  readonly events: CostEvent[] = [];
  readonly moduleCalls: ModuleCall[] = [];
  readonly checkpointRegions: CheckpointRegion[] = [];
  /** The modules whose forward is running, innermost last. */
  readonly moduleStack: PyInstance[] = [];

  record(e: CostEvent): void {
    this.events.push(e);
  }
}

const KEY = 'recorder';

/** The recorder of the forward pass being analyzed, if one is running. */
export function recorderOf(it: Interpreter): CostRecorder | undefined {
  return it.ext.get(KEY) as CostRecorder | undefined;
}

export function attachRecorder(it: Interpreter, r: CostRecorder | undefined): void {
  if (r) it.ext.set(KEY, r);
  else it.ext.delete(KEY);
}
