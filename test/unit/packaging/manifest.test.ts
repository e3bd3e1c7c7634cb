// The extension manifest (package.json) as the Marketplace and a remote window read it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

interface Property {
  scope?: string;
}
/** Every contributed setting, whether `configuration` is one section or several. */
function settings(): Record<string, Property> {
  const sections = [pkg.contributes.configuration].flat() as { properties: Record<string, Property> }[];
  return Object.assign({}, ...sections.map((s) => s.properties));
}

describe('the extension manifest', () => {
  it('runs where the workspace is, so pilots and nvidia-smi reach the remote GPU machine', () => {
    expect(pkg.extensionKind).toEqual(['workspace']);
  });

  it('keeps the interpreter and GPU settings per machine', () => {
    for (const key of ['wattlens.pythonPath', 'wattlens.gpu', 'wattlens.gpuMemoryGiB']) {
      expect(settings()[key]?.scope, key).toBe('machine-overridable');
    }
  });

  it('has what the Marketplace shows: a 128×128 PNG icon, banner, repository, links', () => {
    const png = readFileSync(join(root, pkg.icon));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]);
    expect(pkg.galleryBanner.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(pkg.repository.url).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.private).toBeUndefined();
  });
});
