import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeOptionsFor, DEFAULT_SETTINGS, readSettings, SETTING_KEYS } from '../../../src/core/editor/settings';

describe('editor settings', () => {
  it('takes defaults for missing and invalid values', () => {
    expect(readSettings(() => undefined)).toEqual(DEFAULT_SETTINGS);
    const raw: Record<string, unknown> = {
      costUnit: 'joules',
      batchSize: -4,
      'diagnostics.macsShareThreshold': 3,
      precision: 'fp8',
      'hints.enabled': 'no',
      maxFileSizeKB: 1.5,
    };
    expect(readSettings((k) => raw[k])).toEqual(DEFAULT_SETTINGS);
  });

  it('reads valid values', () => {
    const raw: Record<string, unknown> = {
      costUnit: 'flops',
      batchSize: 32,
      precision: 'bf16-mixed',
      optimizer: 'sgd',
      gpu: ' A100 80GB ',
      gpuMemoryGiB: 12.5,
      'hints.enabled': false,
      diagnosticSeverity: 'warning',
    };
    const s = readSettings((k) => raw[k]);
    expect(s).toMatchObject({
      costUnit: 'flops',
      batchSize: 32,
      precision: 'bf16-mixed',
      optimizer: 'sgd',
      gpu: 'A100 80GB',
      gpuMemoryGiB: 12.5,
      hintsEnabled: false,
      diagnosticSeverity: 'warning',
    });
    expect(analyzeOptionsFor(s)).toEqual({ batch: 32, precision: 'bf16-mixed', optimizer: 'sgd', seqLen: 1024 });
    // no batch setting: the batch of the input shape
    expect(analyzeOptionsFor(DEFAULT_SETTINGS)).not.toHaveProperty('batch');
  });

  it('matches the configuration package.json contributes, defaults included', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    type Property = { default: unknown; description: string };
    // the settings come in sections (Editor, Training Memory, Advisor, Pilot, Carbon and Cost)
    const sections = [pkg.contributes.configuration].flat() as { properties: Record<string, Property> }[];
    const properties: Record<string, Property> = Object.assign({}, ...sections.map((s) => s.properties));
    for (const [field, key] of Object.entries(SETTING_KEYS)) {
      const property = properties[`wattlens.${key}`];
      expect(property, key).toBeDefined();
      expect(property.description.length, key).toBeGreaterThan(20);
      expect(property.default, key).toEqual(DEFAULT_SETTINGS[field as keyof typeof DEFAULT_SETTINGS]);
    }
  });
});
