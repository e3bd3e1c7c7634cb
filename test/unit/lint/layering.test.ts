// The layering rule of docs/ARCHITECTURE.md is enforced by eslint.config.mjs: each case lints a
// small text as if it were a file of the named layer and expects the rule to fire (or not).
// Type-aware rules are switched off here (the probe files are not on disk, so not in a tsconfig
// project); the layering and cycle rules need no type information.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });

/** Rule ids of the errors the lint reports for `code` as the file at `filePath` (relative to the root). */
async function errorsOf(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('layering rules', () => {
  it('accepts a clean file of the core (so the cases below fail for their import alone)', async () => {
    expect(
      await errorsOf(`import { formatCount } from './report/format';\nexport const label = formatCount(3);\n`, 'src/core/probe.ts'),
    ).toEqual([]);
  });

  it('rejects vscode in src/core', async () => {
    expect(await errorsOf(`import * as vscode from 'vscode';\nexport const v = vscode.version;\n`, 'src/core/probe.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it('rejects editor code in src/core', async () => {
    expect(await errorsOf(`import { Trace } from '../extension/trace';\nexport const t = Trace;\n`, 'src/core/probe.ts')).toContain(
      'import-x/no-restricted-paths',
    );
  });

  it('rejects a runtime import of torch in src/core/interp, and allows a type-only one', async () => {
    expect(await errorsOf(`import { Tensor } from '../torch/tensor';\nexport const T = Tensor;\n`, 'src/core/interp/probe.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(await errorsOf(`import { LAYERS } from '../ops/layers';\nexport const l = LAYERS;\n`, 'src/core/interp/probe.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(await errorsOf(`import type { Tensor } from '../torch/tensor';\nexport type T = Tensor;\n`, 'src/core/interp/probe.ts')).toEqual(
      [],
    );
  });

  it('rejects Node built-ins and non-panel core modules in webview/src, and accepts the panel protocol', async () => {
    expect(await errorsOf(`import 'node:fs';\n`, 'webview/src/probe.ts')).toContain('@typescript-eslint/no-restricted-imports');
    expect(await errorsOf(`import { readFileSync } from 'fs';\nexport const r = readFileSync;\n`, 'webview/src/probe.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(
      await errorsOf(`import { lineHints } from '../../src/core/editor/hints';\nexport const h = lineHints;\n`, 'webview/src/probe.ts'),
    ).toContain('import-x/no-restricted-paths');
    expect(
      await errorsOf(
        `import { formatCount } from '../../src/core/report/format';\nexport const f = formatCount;\n`,
        'webview/src/probe.ts',
      ),
    ).toEqual([]);
    expect(
      await errorsOf(
        `import { parseHostMessage } from '../../src/core/panel/protocol';\nexport const p = parseHostMessage;\n`,
        'webview/src/probe.ts',
      ),
    ).toEqual([]);
  });

  it('rejects vscode in src/cli and the webview in src/extension', async () => {
    expect(await errorsOf(`import * as vscode from 'vscode';\nexport const v = vscode.version;\n`, 'src/cli/probe.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
    expect(
      await errorsOf(`import { PanelStore } from '../../webview/src/store';\nexport const s = PanelStore;\n`, 'src/extension/probe.ts'),
    ).toContain('import-x/no-restricted-paths');
  });

  it('rejects an import cycle', async () => {
    // core/editor/hints.ts imports core/report/format.ts at run time; format importing hints closes the loop
    expect(
      await errorsOf(`import { lineHints } from '../editor/hints';\nexport const h = lineHints;\n`, 'src/core/report/format.ts'),
    ).toContain('import-x/no-cycle');
  });
});
