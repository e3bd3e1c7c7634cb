// The Python that pilot runs use in the e2e tests (Debian's, with torch), and whether it has torch.
import { execFileSync } from 'node:child_process';

export const PYTHON = process.env.WATTLENS_PYTHON ?? '/usr/bin/python3';

export function torchAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
