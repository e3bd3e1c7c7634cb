// Hostile workspaces for the analyzer's cases: each case writes its files to a fresh temp
// folder, runs `wattlens analyze` there (the folder is the workspace root) and is judged by
// the yardstick plus the outcome it expects (the model's parameters, a problem line).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { runCli, type Contained } from './contained';

const made: string[] = [];

/** A temp folder holding `files` (path → text or bytes; `{ symlink }` makes a link). */
export function makeWorkspace(files: Record<string, string | Buffer | { symlink: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-hostile-ws-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) symlinkSync(content.symlink, full);
    else writeFileSync(full, content);
  }
  return dir;
}

/** Removes every workspace made so far (call from afterAll). */
export function removeWorkspaces(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** `wattlens analyze FILE ARGS` with the workspace as the current folder. */
export function analyzeIn(dir: string, file = 'model.py', args: string[] = []): Contained {
  return runCli(['analyze', file, ...args], { cwd: dir });
}

/** Writes the files and analyzes `model.py` (or `entry`). */
export function analyzeFiles(
  files: Record<string, string | Buffer | { symlink: string }>,
  entry = 'model.py',
  args: string[] = [],
): Contained {
  return analyzeIn(makeWorkspace(files), entry, args);
}

/**
 * A model of 55 parameters (Linear(10, 5)) with hostile code at the top level (`top`) and at
 * the end of `__init__` (`init`, indented by the helper).
 */
export function modelWith(parts: { top?: string; init?: string; head?: string }): string {
  const init = (parts.init ?? '')
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
  return [
    'import torch.nn as nn',
    parts.head ?? '',
    'class M(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.fc = nn.Linear(10, 5)',
    init,
    '    def forward(self, x):',
    '        return self.fc(x)',
    parts.top ?? '',
    '',
  ].join('\n');
}

/** The text report names the model with its 55 parameters. */
export function expectModelParams(r: Contained, params = 55): void {
  expect(r.stdout, r.stderr).toMatch(new RegExp(`parameters\\s+${params} `));
}

/** A problem line (text report) matching `pattern`. */
export function expectProblem(r: Contained, pattern: RegExp): void {
  const problems = r.stdout.split('\n').filter((l) => /^\s+- /.test(l));
  expect(
    problems.some((l) => pattern.test(l)),
    `no problem line matches ${pattern}:\n${r.stdout.slice(0, 3000)}\n${r.stderr.slice(0, 500)}`,
  ).toBe(true);
}
