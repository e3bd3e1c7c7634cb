// The user's Python environment, found without running Python (so it works in Restricted
// Mode): pyvenv.cfg and the folder layout of venvs, conda prefixes and system installs give the
// folders imports are searched in after the workspace, in the order the interpreter would use
// them. Nothing here throws; whatever is skipped is given a reason in `notes`.
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { exists, isDirectory, isInside, listFolder, readSmallFile, realPathOf } from './smallFiles';

export interface EnvironmentQuery {
  /** Workspace folders: searched for `.venv`, `venv` and `env`. */
  workspaceRoots: readonly string[];
  /** The interpreter chosen by the user (the Python extension's, `wattlens.pythonPath`). */
  interpreter?: string;
  /** `VIRTUAL_ENV` and `CONDA_PREFIX` of the environment the analysis runs in. */
  env?: { VIRTUAL_ENV?: string; CONDA_PREFIX?: string };
  /** `wattlens.extraPaths` / `--path DIR`: searched before any site-packages. */
  extraPaths?: readonly string[];
}

export interface PythonEnvironment {
  /** Folders searched after the workspace, in order: extra paths, then each site-packages and its .pth paths. */
  importRoots: string[];
  /** The site-packages folders among them (and .pth paths), which hold library code. */
  libraryRoots: string[];
  /** Where each environment was found (`.venv in /w`, `$VIRTUAL_ENV`, …), for messages. */
  sources: string[];
  /** What was skipped, and why. */
  notes: string[];
}

/** Folders of one workspace that hold a venv, in the order they are tried. */
export const WORKSPACE_VENV_NAMES = ['.venv', 'venv', 'env'];
/** .pth files read per site-packages; paths taken per file. */
const MAX_PTH_FILES = 200;
const MAX_PTH_LINES = 100;

interface Prefix {
  path: string;
  from: string;
  /** Found inside the workspace (not named by the user): its roots must stay inside that folder. */
  confinedTo?: string;
}

export function findPythonEnvironment(query: EnvironmentQuery): PythonEnvironment {
  const out: PythonEnvironment = { importRoots: [], libraryRoots: [], sources: [], notes: [] };
  const seen = new Set<string>();
  const add = (dir: string, library: boolean) => {
    const real = realPathOf(dir);
    if (real === undefined) {
      out.notes.push(`${dir}: not found or a link loop: skipped`);
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    out.importRoots.push(dir);
    if (library) out.libraryRoots.push(dir);
  };
  for (const p of query.extraPaths ?? []) {
    if (!isAbsolute(p)) out.notes.push(`extra path ${p} is not absolute: skipped`);
    else if (!isDirectory(p)) out.notes.push(`extra path ${p} is not a folder: skipped`);
    else add(p, true);
  }
  for (const prefix of prefixes(query, out.notes)) {
    const dirs = sitePackagesOf(prefix, out.notes);
    if (!dirs.length) continue;
    out.sources.push(prefix.from);
    for (const dir of dirs) {
      add(dir, true);
      for (const extra of pthPaths(dir, out.notes)) {
        if (prefix.confinedTo && !insideReal(extra, prefix.confinedTo))
          out.notes.push(`${extra} (a .pth path of ${prefix.from}) lies outside the workspace: skipped (add it to wattlens.extraPaths)`);
        else add(extra, true);
      }
    }
  }
  return out;
}

function insideReal(path: string, root: string): boolean {
  const real = realPathOf(path);
  const realRoot = realPathOf(root);
  return real !== undefined && realRoot !== undefined && isInside(real, realRoot);
}

/** The environments to read, in order: the chosen interpreter, $VIRTUAL_ENV, $CONDA_PREFIX, venvs in the workspace. */
function prefixes(query: EnvironmentQuery, notes: string[]): Prefix[] {
  const list: Prefix[] = [];
  if (query.interpreter) {
    const p = interpreterPrefix(query.interpreter);
    if (p) list.push({ path: p, from: `the interpreter ${query.interpreter}` });
    else notes.push(`the interpreter ${query.interpreter}: no environment found beside it`);
  }
  const venv = query.env?.VIRTUAL_ENV;
  if (venv) list.push({ path: resolve(venv), from: '$VIRTUAL_ENV' });
  const conda = query.env?.CONDA_PREFIX;
  if (conda) list.push({ path: resolve(conda), from: '$CONDA_PREFIX' });
  for (const root of query.workspaceRoots)
    for (const name of WORKSPACE_VENV_NAMES) {
      const dir = join(root, name);
      if (!exists(join(dir, 'pyvenv.cfg'))) continue;
      if (!insideReal(dir, root)) {
        notes.push(`${dir} links outside the workspace: skipped`);
        continue;
      }
      list.push({ path: dir, from: `${name} in ${root}`, confinedTo: root });
    }
  return list;
}

/**
 * The prefix of an interpreter: `PREFIX/bin/python` (Windows: `PREFIX/Scripts/python.exe` or
 * conda's `PREFIX/python.exe`). The path is not resolved through links: a venv's `bin/python`
 * links to the base interpreter, and the venv is found from where the link lies, as Python does.
 */
function interpreterPrefix(interpreter: string): string | undefined {
  const exe = resolve(interpreter);
  const dir = dirname(exe);
  for (const candidate of [dir, dirname(dir)]) if (exists(join(candidate, 'pyvenv.cfg'))) return candidate;
  const name = basename(dir).toLowerCase();
  if (name === 'bin' || name === 'scripts') return dirname(dir);
  if (isDirectory(join(dir, 'Lib'))) return dir;
  return undefined;
}

interface VenvConfig {
  home?: string;
  includeSystem: boolean;
  version?: string;
}

function readVenvConfig(prefix: string, notes: string[]): VenvConfig | undefined {
  const path = join(prefix, 'pyvenv.cfg');
  if (!exists(path)) return undefined;
  const read = readSmallFile(path);
  if ('reason' in read) {
    notes.push(read.reason);
    return undefined;
  }
  const cfg: VenvConfig = { includeSystem: false };
  for (const line of read.text.split(/\r?\n/)) {
    const m = /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    if (key === 'home') cfg.home = m[2];
    else if (key === 'include-system-site-packages') cfg.includeSystem = m[2].toLowerCase() === 'true';
    else if (key === 'version' || key === 'version_info') cfg.version = /^(\d+\.\d+)/.exec(m[2])?.[1];
  }
  return cfg;
}

/** site-packages of a prefix (venv, conda or system), then the base's when a venv includes it. */
function sitePackagesOf(prefix: Prefix, notes: string[]): string[] {
  if (!isDirectory(prefix.path)) {
    notes.push(`${prefix.from}: ${prefix.path} is not a folder: skipped`);
    return [];
  }
  const cfg = readVenvConfig(prefix.path, notes);
  const dirs = layoutSitePackages(prefix.path, cfg?.version);
  const confined = prefix.confinedTo;
  const kept = confined
    ? dirs.filter((d) => {
        if (insideReal(d, confined)) return true;
        notes.push(`${d} (in ${prefix.from}) links outside the workspace: skipped`);
        return false;
      })
    : dirs;
  if (!dirs.length) notes.push(`${prefix.from}: no site-packages under ${prefix.path}`);
  if (cfg?.includeSystem && cfg.home) {
    // home is the base interpreter's folder (PREFIX/bin, or PREFIX on Windows)
    const base = basename(cfg.home).toLowerCase() === 'bin' ? dirname(cfg.home) : cfg.home;
    kept.push(...layoutSitePackages(base, cfg.version));
  }
  return kept;
}

/** The site-packages folders a prefix's layout holds: Windows, POSIX (python3.X), Debian's dist-packages. */
function layoutSitePackages(prefix: string, version: string | undefined): string[] {
  const found: string[] = [];
  const windows = join(prefix, 'Lib', 'site-packages');
  if (isDirectory(windows)) found.push(windows);
  const versions = listFolder(join(prefix, 'lib'))
    .filter((n) => /^python3\.\d+$/.test(n))
    .sort((a, b) => Number(b.slice(8)) - Number(a.slice(8)));
  const wanted = version ? versions.filter((n) => n === `python${version}`) : [];
  for (const v of wanted.length ? wanted : versions.slice(0, 1)) {
    for (const leaf of ['site-packages', 'dist-packages']) {
      const dir = join(prefix, 'lib', v, leaf);
      if (isDirectory(dir)) found.push(dir);
    }
  }
  // Debian: /usr/lib/python3/dist-packages for packages of the distribution, /usr/local/lib/python3.X/dist-packages for pip's
  if (basename(prefix) === 'usr') {
    const local = join(prefix, 'local', 'lib', wanted.at(0) ?? versions.at(0) ?? 'python3', 'dist-packages');
    if (isDirectory(local)) found.unshift(local);
    const debian = join(prefix, 'lib', 'python3', 'dist-packages');
    if (isDirectory(debian)) found.push(debian);
  }
  return found;
}

/**
 * The folders named by plain path lines of the .pth files of a site-packages (editable installs),
 * in the order Python reads them (files sorted by name). `import` lines are code: never run.
 */
function pthPaths(sitePackages: string, notes: string[]): string[] {
  const paths: string[] = [];
  const files = listFolder(sitePackages).filter((n) => n.endsWith('.pth'));
  if (files.length > MAX_PTH_FILES) notes.push(`${sitePackages} holds ${files.length} .pth files: the first ${MAX_PTH_FILES} read`);
  for (const name of files.slice(0, MAX_PTH_FILES)) {
    const read = readSmallFile(join(sitePackages, name));
    if ('reason' in read) {
      notes.push(read.reason);
      continue;
    }
    const lines = read.text.split(/\r?\n/).slice(0, MAX_PTH_LINES);
    for (const raw of lines) {
      const line = raw.trimEnd();
      if (!line || line.startsWith('#') || /^import[ \t]/.test(line)) continue;
      const dir = resolve(sitePackages, line);
      if (isDirectory(dir)) paths.push(dir);
    }
  }
  return paths;
}

/**
 * The folders a command-line analysis looks for a venv in: the current folder, and the nearest
 * folder above the analyzed file that holds a `.venv`, `venv` or `env` (with its pyvenv.cfg).
 */
export function commandLineWorkspaces(file: string, cwd: string): string[] {
  const roots = [cwd];
  let dir = dirname(resolve(file));
  for (let depth = 0; depth < 64; depth++) {
    if (WORKSPACE_VENV_NAMES.some((n) => exists(join(dir, n, 'pyvenv.cfg')))) {
      if (dir !== cwd) roots.push(dir);
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return roots;
}
