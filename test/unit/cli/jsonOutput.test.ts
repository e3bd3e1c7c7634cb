// The CLI's --json is reproducible: schemaVersion, no timings unless asked, paths relative to the working folder.
import { describe, expect, it } from 'vitest';
import { cliJson, displayPath, JSON_SCHEMA_VERSION } from '../../../src/cli/jsonOutput';

const report = {
  file: '/home/me/proj/models/net.py',
  models: [
    {
      name: 'Net',
      analysisMs: 12.34,
      unknowns: [{ what: 'x', file: '/usr/lib/python3/dist-packages/timm/layers.py', line: 3 }],
      layers: [{ path: 'fc', site: { file: '/home/me/proj/models/blocks.py', line: 7 } }],
    },
  ],
};

describe('cliJson', () => {
  it('puts schemaVersion first, drops timings and makes paths in the working folder relative', () => {
    const out = JSON.parse(cliJson(report, { cwd: '/home/me/proj' }));
    expect(Object.keys(out)[0]).toBe('schemaVersion');
    expect(out.schemaVersion).toBe(JSON_SCHEMA_VERSION);
    expect(out.file).toBe('models/net.py');
    expect(out.models[0]).not.toHaveProperty('analysisMs');
    expect(out.models[0].layers[0].site.file).toBe('models/blocks.py');
    // outside the working folder: unchanged
    expect(out.models[0].unknowns[0].file).toBe('/usr/lib/python3/dist-packages/timm/layers.py');
  });

  it('keeps timings with --timings, and prints identical bytes for identical reports otherwise', () => {
    expect(JSON.parse(cliJson(report, { cwd: '/', timings: true })).models[0].analysisMs).toBe(12.34);
    const other = { ...report, models: [{ ...report.models[0], analysisMs: 99 }] };
    expect(cliJson(other, { cwd: '/home/me/proj' })).toBe(cliJson(report, { cwd: '/home/me/proj' }));
  });
});

describe('displayPath', () => {
  it('is relative inside the folder and absolute outside or at a sibling with a shared prefix', () => {
    expect(displayPath('/a/b/c.py', '/a')).toBe('b/c.py');
    expect(displayPath('/a/c.py', '/a/b')).toBe('/a/c.py');
    expect(displayPath('/ab/c.py', '/a')).toBe('/ab/c.py');
    expect(displayPath('rel/c.py', '/a')).toBe('rel/c.py');
  });
});
