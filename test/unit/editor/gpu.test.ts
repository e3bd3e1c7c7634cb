import { describe, expect, it } from 'vitest';
import { GPU_PROFILES, gpuProfileFor, resolveGpu } from '../../../src/core/gpu/gpuProfiles';
import { parseNvidiaSmi } from '../../../src/core/gpu/nvidiaSmi';

const GIB = 1024 ** 3;

describe('GPU memory for the memory checks', () => {
  it('parses nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits', () => {
    expect(parseNvidiaSmi('NVIDIA H100 80GB HBM3, 81559\nTesla T4, 15360\n\nnot a row\n')).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 },
      { name: 'Tesla T4', memoryMiB: 15360 },
    ]);
    expect(parseNvidiaSmi('NVIDIA GeForce RTX 4090, 24564 MiB\r\n')).toEqual([{ name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564 }]);
    expect(parseNvidiaSmi('')).toEqual([]);
  });

  it('finds profiles by device name and by profile name, with rated power from the energy table', () => {
    expect(gpuProfileFor('NVIDIA H100 80GB HBM3')?.name).toBe('H100 SXM');
    expect(gpuProfileFor('NVIDIA A100-SXM4-40GB')?.name).toBe('A100 40GB');
    expect(gpuProfileFor('Tesla T4')).toMatchObject({ memoryGiB: 16, bf16: false, fp16: true });
    expect(gpuProfileFor('a100 80gb')?.memoryGiB).toBe(80);
    expect(gpuProfileFor('Radeon RX 7900')).toBeUndefined();
    for (const p of GPU_PROFILES) expect(p.source.length, p.name).toBeGreaterThan(20);
    const auto = resolveGpu('auto', null, [{ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }]);
    expect(auto.gpu).toMatchObject({ name: 'NVIDIA H100 80GB HBM3', memoryBytes: 81559 * 1024 * 1024, source: 'nvidia-smi' });
    expect(auto.gpu?.ratedPower?.watts).toBe(700);
  });

  it('uses the setting when nvidia-smi has nothing, and says why when nothing is known', () => {
    expect(resolveGpu('T4', null, undefined).gpu).toMatchObject({ name: 'T4', memoryBytes: 16 * GIB });
    expect(resolveGpu('auto', 12, []).gpu).toMatchObject({ memoryBytes: 12 * GIB, source: 'setting wattlens.gpuMemoryGiB' });
    expect(resolveGpu('auto', null, [])).toEqual({
      gpu: null,
      reason: 'nvidia-smi found no GPU; set wattlens.gpu to a profile or wattlens.gpuMemoryGiB',
    });
    expect(resolveGpu('none', null, [{ name: 'Tesla T4', memoryMiB: 15360 }]).gpu).toBeNull();
    expect(resolveGpu('Mystery 9000', null, undefined)).toMatchObject({ gpu: null });
  });
});
