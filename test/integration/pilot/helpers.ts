import { join, resolve } from 'node:path';
import { tempDirForTest } from '../../support/tempDirs';

export const TORCH_PYTHON = process.env.WATTLENS_TEST_PYTHON ?? '/usr/bin/python3';
export const ROOT = resolve(__dirname, '../../..');
export const MLP = join(ROOT, 'examples/training/mlp_regression.py');
/** A workspace folder for one test, removed when the test ends. */
export const newWorkspace = () => tempDirForTest('wattlens-pilot-');
