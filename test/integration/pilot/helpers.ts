import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const TORCH_PYTHON = process.env.WATTLENS_TEST_PYTHON ?? '/usr/bin/python3';
export const ROOT = resolve(__dirname, '../../..');
export const MLP = join(ROOT, 'examples/training/mlp_regression.py');
export const newWorkspace = () => mkdtempSync(join(tmpdir(), 'wattlens-pilot-'));
