// The extension manifest (package.json) as the Marketplace and a remote window read it.
import { existsSync, readFileSync } from 'node:fs';
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

  it('groups the settings into sections, each setting in exactly one', () => {
    const sections = pkg.contributes.configuration as { title: string; properties: Record<string, unknown> }[];
    expect(sections.map((s) => s.title)).toEqual(['Editor', 'Training Memory', 'Advisor', 'Pilot', 'Carbon and Cost']);
    const keys = sections.flatMap((s) => Object.keys(s.properties));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('offers a walkthrough, a welcome view and Run Pilot on training scripts', () => {
    const c = pkg.contributes;
    expect(c.walkthroughs[0].steps.map((s: { id: string }) => s.id)).toEqual(['openModel', 'readHints', 'suggestion', 'pilot', 'report']);
    for (const step of c.walkthroughs[0].steps as { media: { markdown: string } }[]) {
      expect(readFileSync(join(root, step.media.markdown), 'utf8').length, step.media.markdown).toBeGreaterThan(100);
    }
    expect(c.viewsWelcome[0].view).toBe('wattlens.welcome');
    for (const menu of ['editor/title/run', 'explorer/context']) {
      expect(c.menus[menu][0], menu).toMatchObject({
        command: 'wattlens.runPilot',
        when: expect.stringContaining('wattlens.trainingScripts'),
      });
    }
  });

  it('README links are absolute and point at files of this repository, so they work on the Marketplace', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    const repo = (pkg.repository.url as string).replace(/\.git$/, '');
    const raw = repo.replace('https://github.com/', 'https://raw.githubusercontent.com/');
    for (const link of links) {
      expect(link, link).toMatch(/^https:\/\//);
      const inRepo = link.startsWith(`${repo}/blob/HEAD/`)
        ? link.slice(`${repo}/blob/HEAD/`.length)
        : link.startsWith(`${raw}/HEAD/`)
          ? link.slice(`${raw}/HEAD/`.length)
          : undefined;
      if (inRepo !== undefined) expect(existsSync(join(root, inRepo.replace(/#.*$/, ''))), link).toBe(true);
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
