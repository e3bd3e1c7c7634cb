// The ModelReport: what every front end (Python engine, TF.js engine) produces and every
// surface (CLI, inlay hints, CodeLens, hovers, panel) consumes. Field names of the JSON form
// are a contract (see docs/cli.md): add fields freely, never rename.

/** A count that may be unknown. `null` means unknown; the reason sits next to it. */
export type Count = number | null;

/** Where a figure stops being known, and why. */
export interface Unknown {
  /** What is unknown, e.g. "params of fc" or "input shape". */
  what: string;
  /** Why, in words a user can act on, e.g. "in_features comes from an unresolved import". */
  reason: string;
  file?: string;
  /** 1-based line. */
  line?: number;
  /**
   * The headline figure this unknown left null: 'params' (the parameter totals) or 'macs' (the
   * forward MAC total and what derives from it). A model's blocking unknowns come first in its
   * `unknowns`, so `unknowns[0]`, when it has `blocks`, is the first blocking unknown.
   */
  blocks?: 'params' | 'macs';
}

/** Where a layer or op comes from: the construction (layers) or call (ops) site. */
export interface SourceSite {
  file: string;
  /** 1-based line. */
  line: number;
}

export type InputSource =
  | 'cli' // --input
  | 'comment' // `# wattlens: input=1x3x224x224` above the class or builder
  | 'call' // a call in the file such as model(torch.randn(...))
  | 'default' // a stated default, inferred from the first layer
  | 'config' // a shape from a config object or layer argument (TF.js inputShape)
  | 'none'; // no input shape: forward costs are unknown

export interface InputSpec {
  /**
   * One shape per tensor given to forward, one per positional argument unless `text` groups some
   * in a tuple ("35x10,(2x10x200,2x10x200)"); dims are numbers or symbols ("B", "T").
   */
  shapes: (number | string)[][];
  /** Human-readable, e.g. "1x3x224x224"; the --input spelling. */
  text: string;
  source: InputSource;
  /** Why this shape, e.g. "first layer Conv2d(in_channels=3): 1x3x224x224 assumed". */
  detail: string;
  /** Values given to symbolic dims when figures were made concrete, e.g. { B: 1, T: 1024 }. */
  bindings?: Record<string, number>;
}

/** One row of the per-layer table: a leaf module, or a functional op charged to a line. */
export interface LayerReport {
  /** Module path such as "layer1.0.conv1", or "<owner path>:<op>@<line>" for functional ops. */
  path: string;
  /** Layer class ("Conv2d") or op name ("matmul", "F.softmax"). */
  type: string;
  kind: 'layer' | 'op';
  /** 1-based line in the analyzed file that causes this cost (construction site for layers, call site for ops). */
  line: number | null;
  /** The innermost site, which may be in another file (a layer built by an imported helper). */
  site?: SourceSite;
  /** Parameters owned by this layer (tied tensors counted in each layer that uses them). */
  params: Count;
  /** Forward multiply-accumulates summed over all calls, in torchvision's convention. */
  macs: Count;
  /** FLOPs = 2 × MACs. */
  flops: Count;
  /** Elementwise work (norms, activations, softmax, adds), a separate labelled figure, in FLOPs. */
  elementwiseFlops?: Count;
  /** Output shape of the last call, e.g. [1, 64, 112, 112]; null when unknown. */
  outputShape: (number | string)[] | null;
  /** Bytes of output activations summed over calls, at the activation dtype. */
  activationBytes?: Count;
  /** How many times forward ran this layer / op. */
  calls: number;
  /** The formula with its actual numbers, e.g. "params = 4096·4096 + 4096". */
  formula?: string;
  /** Why a figure of this row is unknown. */
  unknowns?: Unknown[];
  /** A catalogue layer's constructor settings as torch stores them (in_features, kernel_size, ...). */
  config?: Record<string, number | string | boolean | number[] | null>;
  /** Attention rows: the T×S part of the cost, summed over calls (T² diagnostics, advisor). */
  attention?: {
    queryLength: number | string;
    keyLength: number | string;
    scoreElements: Count;
    scoreMacs: Count;
    headDim: number | string;
  };
}

export interface TrainingMemoryBreakdown {
  precision: Precision;
  optimizer: OptimizerKind;
  batch: number;
  checkpointing: boolean;
  weightsBytes: Count;
  gradientsBytes: Count;
  optimizerBytes: Count;
  activationsBytes: Count;
  totalBytes: Count;
}

export type Precision = 'fp32' | 'bf16-mixed' | 'fp16-mixed';
export type OptimizerKind = 'sgd' | 'sgd-momentum' | 'adam' | 'adamw';

export interface ModelReport {
  /** Class or builder name, or the call given to --model. */
  name: string;
  /** How the model was built, e.g. "resnet50()" or "GPT(GPTConfig())". */
  entry: string;
  /** 1-based line of the class or builder definition in the analyzed file. */
  line: number | null;
  /** 'class' | 'builder' | 'call' (from --model) | 'tfjs'. */
  entryKind: 'class' | 'builder' | 'call' | 'tfjs';
  input: InputSpec;
  /** Sum of each layer's parameters (a tied tensor counted once per layer that holds it). */
  params: Count;
  trainableParams: Count;
  /** Distinct parameter tensors, as `sum(p.numel() for p in model.parameters())` counts them. */
  uniqueParams: Count;
  /** Forward multiply-accumulates (conv, linear, matmul, attention), torchvision's convention. */
  macs: Count;
  /** 2 × macs. */
  flops: Count;
  /** Elementwise FLOPs (norms, activations, softmax, adds, pooling), reported apart. */
  elementwiseFlops?: Count;
  /** MACs as a formula of symbolic input dims, e.g. "4.09e9·B", when symbols were used. */
  macsFormula?: string;
  /** Multiply-accumulates of one training step (forward + backward ≈ 3 × forward, plus recomputation). */
  trainingMacs?: Count;
  /** Forward MACs run again during backward for the code's torch.utils.checkpoint regions. */
  recomputeMacs?: Count;
  /** Bytes of forward activations (layer and op outputs) at the activation dtype. */
  activationBytes: Count;
  /** Weights + gradients + optimizer state + activations kept for backward (see trainingMemory). */
  trainingMemoryBytes: Count;
  trainingMemory?: TrainingMemoryBreakdown[];
  assumptions: string[];
  unknowns: Unknown[];
  layers: LayerReport[];
  /** Names of the module classes in the model's tree (which source classes a figure depends on). */
  moduleClasses?: string[];
  /**
   * The class of the built model's root module and the file that defines it (null: a torch class),
   * e.g. ResNet for the builder resnet18: what a pilot that trained this model records.
   */
  rootClass?: { name: string; file: string | null };
  /**
   * Time and energy of one training step on a named GPU, from the MACs and memory traffic above
   * (`analyze --gpu`); null when it cannot be estimated, `stepEstimateReason` says why. Absent
   * when no GPU was asked for.
   */
  stepEstimate?: StepEstimate | null;
  stepEstimateReason?: string;
  /** Analysis wall time in ms (diagnostic, not a contract). */
  analysisMs?: number;
}

/** A low / mid / high band: low is the shortest (or cheapest) end. */
export interface Band {
  low: number;
  mid: number;
  high: number;
}

/** A static estimate of one training step on a GPU (see src/core/gpu/stepEstimate.ts). */
export interface StepEstimate {
  /** GPU profile name, e.g. "H100 SXM". */
  gpu: string;
  precision: 'fp32' | 'tf32' | 'bf16' | 'fp16';
  /** Batch of the analyzed input (its first dimension). */
  batch: number | null;
  /** Seconds per training step (forward + backward + optimizer). */
  timeS: Band;
  /** GPU board energy per training step, J. */
  joules: Band;
  /** Where the mid step time goes, s: ops bound by compute, by memory bandwidth, by host time (kernel launches and the work around them). */
  boundBy: { computeS: number; memoryS: number; launchS: number };
  /** Kernel launches per step (measured counts per op class, src/core/gpu/kernelCounts.json); hostOps run without a kernel. */
  kernels: { forward: number; backward: number; optimizer: number; hostOps: number; total: number; paramTensors?: number };
  /**
   * Host time of the step, s (Python, dispatcher, autograd, launches, optimizer, batch:
   * src/core/gpu/hostModel.ts): `ops` kernel launches of forward, backward and the assumed loss at
   * `usPerOp` µs each, the optimizer and zero_grad per step and per parameter tensor, the batch
   * from a DataLoader (measured, hostCosts.json; a GPU adds each launch's CUDA cost). `partsS`
   * splits it: the model's ops, the optimizer with zero_grad, the batch. A GPU overlaps it with its work.
   */
  host?: { timeS: Band; ops: number; usPerOp: Band; partsS?: { model: Band; optimizer: Band; data: Band } };
  /**
   * A CPU's first-touch page faults of the step's fresh activations, s (measured per fault and as a
   * share of the activations: src/core/gpu/cpuLayerCosts.json); counted in timeS. CPU devices only.
   */
  cpuPageFaultsS?: Band;
  /** Assumptions and sources, one sentence each. */
  basis: string[];
  label: 'estimated';
}

export interface FileReport {
  file: string;
  /** 'python' | 'tfjs'. */
  language: 'python' | 'tfjs';
  models: ModelReport[];
  /** Problems with the file itself: syntax errors, budget exhaustion, size cap. */
  problems: Unknown[];
  /**
   * Classes and builders found but not built where no problem says why: `what` is the name,
   * `reason` why (a part of another model, a builder that raised, one that builds an unknown value).
   */
  notBuilt?: Unknown[];
}
