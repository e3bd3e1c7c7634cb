// One e2e session: a throwaway copy of a workspace, code-server with WattLens installed, and a
// Chromium page on the loaded workbench. Tests edit the copy, never the repo's files.
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchCodeServer, readOutputChannel, REPO_ROOT, type CodeServer } from '../../../scripts/e2e/code-server.mjs';
import { launchChromium } from './browser';
import { waitForWorkbench } from './workbench';

export interface SessionOptions {
  /** Workspace to copy and open, relative to the repo root (e.g. 'examples'). */
  workspace: string;
  /** Extra files written into the copy: relative path -> content. */
  files?: Record<string, string>;
  trust?: 'disabled' | 'restricted';
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Session {
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** The workspace copy the workbench has open. */
  workspaceDir: string;
  /** Milliseconds from navigation to a usable workbench (explorer rows shown). */
  workbenchLoadMs: number;
  /** Text the extension wrote to one of its output channels, read from VS Code's log mirror. */
  outputChannel(name: string): string;
  close(): Promise<void>;
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const workspaceDir = copyWorkspace(options.workspace, options.files ?? {});
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(dirname(workspaceDir), { recursive: true, force: true });
  };
  try {
    server = await launchCodeServer({
      workspace: workspaceDir,
      vsix: inject('vsixPath'),
      trust: options.trust ?? 'disabled',
      settings: { 'workbench.editor.enablePreview': false, ...options.settings },
      env: options.env ?? {},
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const started = performance.now();
    await page.goto(server.url);
    await waitForWorkbench(page);
    const workbenchLoadMs = performance.now() - started;
    const userDataDir = server.userDataDir;
    return {
      server,
      browser,
      page,
      workspaceDir,
      workbenchLoadMs,
      outputChannel: (name) => readOutputChannel(userDataDir, name),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

// The copy keeps the folder's name (the explorer shows it) inside a fresh temp folder.
function copyWorkspace(relativePath: string, files: Record<string, string>): string {
  const target = join(mkdtempSync(join(tmpdir(), 'wattlens-e2e-ws-')), basename(resolve(REPO_ROOT, relativePath)));
  cpSync(resolve(REPO_ROOT, relativePath), target, {
    recursive: true,
    filter: (source) => !/(^|[\\/])(__pycache__|\.ipynb_checkpoints)$/.test(source),
  });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), content);
  }
  return target;
}
