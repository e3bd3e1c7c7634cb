// Types for code-server.mjs, so the TypeScript e2e tests can call it.

export { CODE_SERVER_VERSION, cacheDir, ensureCodeServer } from './install.mjs';
export type { ToolPaths } from './install.mjs';

export const REPO_ROOT: string;
export const EXTENSION_ID: string;
export const BASE_SETTINGS: Readonly<Record<string, unknown>>;

type Log = (line: string) => void;

export function defaultVsixPath(): string;
export function packageExtension(options?: { outFile?: string; log?: Log }): Promise<string>;

export interface LaunchOptions {
  /** Folder to open in the workbench. */
  workspace: string;
  /** A .vsix to install before starting. */
  vsix?: string;
  /** Folder for user data, extensions, home and temp files; a temporary one (removed on stop) when absent. */
  stateDir?: string;
  /** 'disabled' (default): no trust checks; 'restricted': the folder opens in Restricted Mode. */
  trust?: 'disabled' | 'restricted';
  /** User settings added on top of BASE_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and its extension host. */
  env?: Record<string, string>;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  readyTimeoutMs?: number;
  log?: Log;
}

export interface CodeServer {
  /** Workbench URL with the workspace folder open. */
  url: string;
  baseUrl: string;
  pid: number;
  stateDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** What code-server printed so far (the last 200 kB). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the whole process group; removes a temporary state folder. */
  stop(): Promise<void>;
}

export function launchCodeServer(options: LaunchOptions): Promise<CodeServer>;
export function readOutputChannel(userDataDir: string, channel: string): string;
export function readExtensionHostLog(userDataDir: string): string;
