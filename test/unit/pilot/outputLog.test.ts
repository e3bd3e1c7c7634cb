import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputLog } from '../../../src/core/pilot/outputLog';
import { isSecretEnvName, scriptEnvironment } from '../../../src/core/pilot/scriptEnv';
import { tempDirForTest } from '../../support/tempDirs';

const logPath = () => join(tempDirForTest('wattlens-outputlog-'), 'output.log');

describe('OutputLog', () => {
  it('keeps output under the cap byte for byte, with no note', () => {
    const path = logPath();
    const log = new OutputLog(path, 4096);
    log.append(Buffer.from([0, 255, 10]));
    log.append(Buffer.from('plain\n'));
    log.close();
    expect(readFileSync(path)).toEqual(Buffer.concat([Buffer.from([0, 255, 10]), Buffer.from('plain\n')]));
  });

  it('past the cap keeps the head, a note with the bytes left out, and the tail', () => {
    const path = logPath();
    const log = new OutputLog(path, 4096);
    for (let i = 0; i < 1000; i++) log.append(Buffer.from(`line ${String(i).padStart(4, '0')}\n`)); // 10,000 bytes
    log.close();
    const text = readFileSync(path, 'utf8');
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text.startsWith('line 0000\n')).toBe(true);
    expect(text.endsWith('line 0999\n')).toBe(true);
    const left = Number(/cut here: (\d+) bytes left out/.exec(text)![1]);
    const note = text.split('\n').find((l) => l.includes('cut here'))!;
    expect(text.length - note.length - 2 + left).toBe(10_000); // head + tail + left out = all
  });
});

describe('scriptEnvironment', () => {
  it('drops WattLens secrets and keeps the rest', () => {
    const env = scriptEnvironment(
      { WATTLENS_ELECTRICITY_MAPS_TOKEN: 't', WATTLENS_X_API_KEY: 'k', WATTLENS_PYTHON: '/p', PATH: '/bin' },
      { PYTHONUNBUFFERED: '1' },
    );
    expect(env).toEqual({ WATTLENS_PYTHON: '/p', PATH: '/bin', PYTHONUNBUFFERED: '1' });
    expect(isSecretEnvName('HF_TOKEN')).toBe(false); // the script's own credentials are its business
  });
});
