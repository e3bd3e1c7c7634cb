// Types of corpus.mjs, for the corpus test (test/realworld/realworld.test.ts).
export interface CaseTruth {
  params: number | null;
  macs: number | null;
  /** 'torch', 'published (source)', 'torch could not run it: …', 'forward failed in torch: …' */
  basis: string;
}
export interface CorpusCase {
  id: string;
  project: string;
  cwd: string;
  file: string;
  model: string;
  input: string;
  set: Record<string, string>;
  truth: CaseTruth;
}
export type Verdict = 'exact' | 'params only' | 'wrong' | 'unknown' | 'lost' | 'no truth';
export interface CaseRow {
  id: string;
  project: string;
  truth: CaseTruth;
  params: number | null;
  macs: number | null;
  ms: number;
  verdict: Verdict;
  reason: string;
  paramsOk: boolean;
  macsOk: boolean;
}
export interface CaseRun {
  code: number | null;
  stderr: string;
  report: unknown;
  timedOut: boolean;
  ms: number;
}
export const REPO_ROOT: string;
export const CORPUS_DIR: string;
export const WORKSPACE: string;
export const CLI: string;
export function realworldCases(): CorpusCase[];
export function truthFileCases(): CorpusCase[];
export function runCase(c: CorpusCase, options?: { timeoutMs?: number }): Promise<CaseRun>;
export function judge(c: CorpusCase, run: CaseRun): CaseRow;
export function scoreCases(
  cases: CorpusCase[],
  options?: {
    concurrency?: number;
    timeoutMs?: number;
    onRow?: (row: CaseRow) => void;
    reuse?: Map<string, CaseRun>;
    runs?: Map<string, CaseRun>;
  },
): Promise<CaseRow[]>;
export function summarize(rows: CaseRow[]): Array<Record<string, string | number | null>>;
export function failureClasses(rows: CaseRow[]): Array<{ reason: string; count: number; ids: string[] }>;
