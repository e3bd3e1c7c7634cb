export const REPO_ROOT: string;
export const MAX_VSIX_BYTES: number;
export const REQUIRED_FILES: string[];
export function forbiddenReason(path: string): string | undefined;
export function packedFiles(cwd?: string): Promise<string[]>;
export function vsixEntries(vsixPath: string): Promise<string[]>;
export function problems(files: string[], sizeBytes?: number): string[];
export function defaultVsixPath(): string;
