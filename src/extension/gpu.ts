// The GPU memory checks compare against: nvidia-smi (run once, off the activation path, when
// wattlens.gpu is "auto"), else the profile or memory the settings name.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { GpuResolution } from '../core/gpu/gpuProfiles';
import type { SmiGpu } from '../core/gpu/nvidiaSmi';

// The profile and power tables load when a memory check first needs them, not at activation.
const gpuProfiles = () => require('../core/gpu/gpuProfiles') as typeof import('../core/gpu/gpuProfiles');
const nvidiaSmi = () => require('../core/gpu/nvidiaSmi') as typeof import('../core/gpu/nvidiaSmi');
import type { EditorSettings } from '../core/editor/settings';

const SMI_TIMEOUT_MS = 3_000;

export class GpuInfo implements vscode.Disposable {
  private smi: SmiGpu[] | undefined;
  private querying: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when nvidia-smi has answered (or failed), so memory checks can be redone. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: (message: string) => void) {}

  /** The GPU for these settings; asks nvidia-smi in the background the first time "auto" needs it. */
  resolve(settings: EditorSettings): GpuResolution {
    if (settings.gpu.toLowerCase() === 'auto' && this.smi === undefined) {
      this.query();
      if (settings.gpuMemoryGiB === null) return { gpu: null, reason: 'asking nvidia-smi…' };
    }
    return gpuProfiles().resolveGpu(settings.gpu, settings.gpuMemoryGiB, this.smi);
  }

  private query(): void {
    this.querying ??= new Promise<void>((done) => {
      execFile('nvidia-smi', [...nvidiaSmi().NVIDIA_SMI_ARGS], { timeout: SMI_TIMEOUT_MS, windowsHide: true }, (error, stdout) => {
        this.smi = error ? [] : nvidiaSmi().parseNvidiaSmi(stdout);
        this.log(
          error
            ? `nvidia-smi not available (${(error as NodeJS.ErrnoException).code ?? error.message}): GPU memory comes from the wattlens.gpu / wattlens.gpuMemoryGiB settings`
            : `nvidia-smi: ${this.smi.map((g) => `${g.name} ${g.memoryMiB} MiB`).join('; ') || 'no GPU listed'}`,
        );
        this.changed.fire();
        done();
      });
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
