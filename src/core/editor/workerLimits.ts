// V8 limits of the analysis worker thread. The interpreter allocates many short-lived objects
// (argument lists, scopes, shape arrays). Measured in a worker, 10 warm whole-file analyses of
// torchvision's regnet.py (perf_hooks 'gc' entries, 2026-11-26): Node's default young generation
// 80 GC pauses, 12.1-12.8% of the time; 96 MB (three 32 MB semi-spaces) 40 pauses, 9.0-9.5%.
// `npm run bench` measures the engine in a worker with these limits, as the extension runs it.
// A larger limit does not help the edit loop: 30 builder edits of regnet.py in a worker
// (--trace-gc, 2026-12-07) took 7 scavenges at 96 MB, 8 at 192 MB and 7 at 288 MB, since V8
// grows a semi-space only when much of it survives (about 8% does: the model just built and its
// report), and a Worker cannot set the minimum semi-space (a V8 flag for the whole process).
//
// The old generation is capped so that a file that still gets past the interpreter's memory
// budget ends the worker (ERR_WORKER_OUT_OF_MEMORY; the client starts another) instead of
// growing the extension host's process until V8 aborts it. An analysis holds at most 16 M
// materialised elements (about 128 MB, `interp/memoryBudget.ts`) beside the engine's caches.
import type { ResourceLimits } from 'node:worker_threads';

export const ANALYSIS_WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 96, maxOldGenerationSizeMb: 1024 };
