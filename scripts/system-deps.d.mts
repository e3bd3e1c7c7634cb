export interface SystemNeed {
  apt: string[];
  why: string;
  for: ('start' | 'test')[];
  met: () => boolean;
}
export type InstallPlan = { kind: 'none' } | { kind: 'apt'; packages: string[]; message: string } | { kind: 'ask'; message: string };
export const SYSTEM_NEEDS: SystemNeed[];
export function missingSystemPackages(purpose: 'start' | 'test', needs?: SystemNeed[]): SystemNeed[];
export function installPlan(missing: SystemNeed[], purpose: 'start' | 'test', machine: { debian: boolean; root: boolean }): InstallPlan;
