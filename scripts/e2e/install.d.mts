// Types for install.mjs, so TypeScript tests can call it (code-server.mjs re-exports some of it).

export interface ToolPaths {
  dir: string;
  nodeBinDir: string;
  node: string;
  nodeHeadersDir: string;
  codeServerPrefix: string;
  codeServerEntry: string;
  marker: string;
}

export const CODE_SERVER_VERSION: string;
export const NODE_SPEC: string;
export function cacheDir(): string;
export function toolPaths(dir?: string): ToolPaths;
export function isInstalled(dir?: string): boolean;
export function ensureCodeServer(options?: { log?: (line: string) => void }): Promise<ToolPaths>;
export function envWithNode24(paths?: ToolPaths, base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
