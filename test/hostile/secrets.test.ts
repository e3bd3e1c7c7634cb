// Hostile cases against the pilot's secrets and trust: the training script never sees the
// Electricity Maps token, the token never leaves over plain http or to a host it was not meant
// for, provider answers are bounded in size and time, and an interpreter named by workspace
// settings is confirmed before it runs (docs/pilot.md, "Secrets" and "Interpreter").
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { suggestCarbonAwareStart, type CarbonAwareStartRequest } from '../../src/core/energy/carbonAwareStart';
import { interpreterTrust } from '../../src/core/pilot/interpreterTrust';
import { electricityMapsForecast, EM_TOKEN, startProviderServer, type ProviderServer } from '../unit/energy/carbonProviderServer';
import { runCli } from './support/contained';
import { expectPilotContained, onlyRecord, outputLogOf, PILOT_SECONDS, pilotArgs, pilotWorkspace } from './support/pilotHostile';

const TOKEN = 'hostile-secret-token-5f0c';
const CASE_MS = 90_000;
const NOW = new Date('2026-03-01T10:07:00Z');

// ---------------------------------------------------------------- the training script's environment

describe('secrets: the training script does not inherit them', () => {
  it(
    'a script that prints os.environ does not print the Electricity Maps token',
    () => {
      const ws = pilotWorkspace('import os\nprint(dict(os.environ))\nstep()');
      const r = runCli(pilotArgs(ws, '--steps', '1'), {
        cwd: ws.dir,
        seconds: PILOT_SECONDS,
        env: { WATTLENS_ELECTRICITY_MAPS_TOKEN: TOKEN },
      });
      expectPilotContained(r, [0], { noTraceback: true });
      const log = outputLogOf(ws, onlyRecord(ws)).toString('utf8');
      expect(log).toContain('WATTLENS_HOSTILE_TAG'); // the environment was printed, without the secret
      expect(log).not.toContain(TOKEN);
      expect(r.stderr + r.stdout).not.toContain(TOKEN);
    },
    CASE_MS,
  );

  it(
    'a script that reads its raw /proc/self/environ does not find the token',
    () => {
      const ws = pilotWorkspace(
        'import sys\nraw = open("/proc/self/environ", "rb").read()\nsys.stdout.buffer.write(raw.replace(b"\\0", b"\\n"))\nstep()',
      );
      const r = runCli(pilotArgs(ws, '--steps', '1'), {
        cwd: ws.dir,
        seconds: PILOT_SECONDS,
        env: { WATTLENS_ELECTRICITY_MAPS_TOKEN: TOKEN },
      });
      expectPilotContained(r, [0], { noTraceback: true });
      const log = outputLogOf(ws, onlyRecord(ws)).toString('utf8');
      expect(log).toContain('WATTLENS_HOSTILE_TAG=');
      expect(log).not.toContain(TOKEN);
    },
    CASE_MS,
  );

  it(
    'a WattLens secret added later (WATTLENS_*_TOKEN / _SECRET / _API_KEY) is dropped too, other variables kept',
    () => {
      const ws = pilotWorkspace('import os\nprint(sorted(k for k in os.environ if k.startswith("WATTLENS_")))\nstep()');
      const r = runCli(pilotArgs(ws, '--steps', '1'), {
        cwd: ws.dir,
        seconds: PILOT_SECONDS,
        env: { WATTLENS_OTHER_API_KEY: 'k1', WATTLENS_PROXY_SECRET: 'k2', WATTLENS_GRID_TOKEN: 'k3', WATTLENS_KEEP_ME: 'plain' },
      });
      expectPilotContained(r, [0], { noTraceback: true });
      const log = outputLogOf(ws, onlyRecord(ws)).toString('utf8');
      expect(log).toContain('WATTLENS_KEEP_ME');
      expect(log).not.toMatch(/WATTLENS_OTHER_API_KEY|WATTLENS_PROXY_SECRET|WATTLENS_GRID_TOKEN/);
    },
    CASE_MS,
  );
});

// ---------------------------------------------------------------- --carbon-api through the CLI

describe('secrets: where the CLI sends the token', () => {
  const carbonRun = (provider: string, api: string, env: Record<string, string> = {}) => {
    const ws = pilotWorkspace('for _ in range(3):\n    step()');
    const r = runCli(pilotArgs(ws, '--steps', '3', '--total-steps', '1000', '--carbon-aware', provider, '--carbon-api', api, '--json'), {
      cwd: ws.dir,
      seconds: PILOT_SECONDS,
      env,
    });
    return r;
  };

  it(
    '--carbon-api http://example.com with Electricity Maps: refused before any request, token not sent',
    () => {
      const r = carbonRun('electricitymaps:DE', 'http://example.com', { WATTLENS_ELECTRICITY_MAPS_TOKEN: TOKEN });
      expectPilotContained(r, [0], { noTraceback: true });
      expect(JSON.parse(r.stdout).forecast.carbonAwareStart.unavailable).toMatch(/https/);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
    },
    CASE_MS,
  );

  it(
    '--carbon-api http://example.com with the UK provider: refused (plain http off loopback), no request',
    () => {
      const r = carbonRun('uk', 'http://example.com');
      expectPilotContained(r, [0], { noTraceback: true });
      expect(JSON.parse(r.stdout).forecast.carbonAwareStart.unavailable).toMatch(/https/);
    },
    CASE_MS,
  );

  it(
    '--carbon-api file:///etc/passwd: refused, nothing read',
    () => {
      const r = carbonRun('uk', 'file:///etc/passwd');
      expectPilotContained(r, [0], { noTraceback: true });
      const note = JSON.parse(r.stdout).forecast.carbonAwareStart.unavailable as string;
      expect(note).toMatch(/https/);
      expect(note).not.toContain('root:');
    },
    CASE_MS,
  );
});

// ---------------------------------------------------------------- provider answers (in-process, loopback servers)

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];
async function serve(handler: Handler, host = '127.0.0.1'): Promise<{ base: string; tokens: (string | undefined)[] }> {
  const tokens: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    tokens.push(req.headers['auth-token'] as string | undefined);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, host, r));
  return { base: `http://${host}:${(server.address() as AddressInfo).port}`, tokens };
}
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

const em = (baseUrl: string, extra: Partial<CarbonAwareStartRequest> = {}) =>
  suggestCarbonAwareStart({
    choice: { provider: 'electricitymaps', area: 'DE' },
    token: EM_TOKEN,
    durationS: 3600,
    energyKWh: 1,
    now: NOW,
    baseUrl,
    timeoutMs: 3000,
    ...extra,
  });

describe('secrets: provider answers and redirects', () => {
  let provider: ProviderServer | undefined;
  afterEach(async () => {
    await provider?.close();
    provider = undefined;
  });

  it("plain http to a loopback provider is allowed (the tests' own servers)", async () => {
    provider = await startProviderServer(() => NOW.getTime());
    const r = await em(provider.base);
    expect(r.status).toBe('window');
    expect(provider.requests[0]!.token).toBe(EM_TOKEN);
  });

  it('the token over plain http to a non-loopback host is refused before any request', async () => {
    const calls: string[] = [];
    const r = await em('http://api.example.com/v3', {
      fetchImpl: async (url) => (calls.push(url), { ok: true, status: 200, json: async () => ({}) }),
    });
    expect(r.status).toBe('unavailable');
    expect(calls).toEqual([]);
    if (r.status === 'unavailable') expect(r.reason).toMatch(/https/);
  });

  it('https to a remote host is still asked (not over-refused)', async () => {
    const calls: string[] = [];
    const r = await em('https://api.example.com/v3', {
      fetchImpl: async (url) => (
        calls.push(url),
        { ok: true, status: 200, json: async () => electricityMapsForecast('DE', NOW.getTime()) }
      ),
    });
    expect(calls).toHaveLength(1);
    expect(r.status).toBe('window');
  });

  it('an oversized answer (3 MB, with Content-Length) is refused without reading it all', async () => {
    const { base } = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(`{"forecast":[],"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`);
    });
    const r = await em(base);
    expect(r.status).toBe('unavailable');
    if (r.status === 'unavailable') expect(r.reason).toMatch(/larger than/);
  });

  it('an endless chunked answer (no Content-Length) is cut at the size limit', async () => {
    const { base } = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('{"forecast":[');
      const chunk = '{"carbonIntensity":1,"datetime":"2026-03-01T10:00:00Z"},'.repeat(1000);
      const timer = setInterval(() => (res.writableLength < 1 << 20 ? res.write(chunk) : undefined), 1);
      res.on('close', () => clearInterval(timer));
    });
    const r = await em(base, { timeoutMs: 20_000 });
    expect(r.status).toBe('unavailable');
    if (r.status === 'unavailable') expect(r.reason).toMatch(/larger than/);
  });

  it('a slow answer (headers, then one byte a second) is given up at the time limit', async () => {
    const { base } = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('{');
      const timer = setInterval(() => res.write(' '), 1000);
      res.on('close', () => clearInterval(timer));
    });
    const r = await em(base, { timeoutMs: 1500 });
    expect(r.status).toBe('unavailable');
    if (r.status === 'unavailable') expect(r.reason).toMatch(/within 1\.5 s/);
  });

  it('a redirect to another host does not carry the token', async () => {
    const other = await serve((_req, res) => {
      res.statusCode = 401;
      res.end('{}');
    }, '127.0.0.2');
    const { base } = await serve((req, res) => {
      res.statusCode = 302;
      res.setHeader('location', `${other.base}${req.url}`);
      res.end();
    });
    const r = await em(base);
    expect(r.status).toBe('unavailable');
    expect(other.tokens).toEqual([undefined]);
  });

  it('a redirect to plain http off loopback is refused before the request', async () => {
    const { base, tokens } = await serve((_req, res) => {
      res.statusCode = 307;
      res.setHeader('location', 'http://example.com/steal');
      res.end();
    });
    const r = await em(base);
    expect(tokens).toHaveLength(1);
    expect(r.status).toBe('unavailable');
    if (r.status === 'unavailable') expect(r.reason).toMatch(/https/);
  });

  it('a redirect loop ends after a few hops', async () => {
    const { base, tokens } = await serve((req, res) => {
      res.statusCode = 302;
      res.setHeader('location', req.url ?? '/');
      res.end();
    });
    const r = await em(base);
    expect(r.status).toBe('unavailable');
    expect(tokens.length).toBeLessThanOrEqual(6);
    if (r.status === 'unavailable') expect(r.reason).toMatch(/redirect/);
  });

  it('a redirect on the same origin keeps the token and the answer is used', async () => {
    const { base, tokens } = await serve((req, res) => {
      const url = req.url ?? '/';
      if (url.startsWith('/old/')) {
        res.statusCode = 301;
        res.setHeader('location', url.slice('/old'.length));
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(electricityMapsForecast('DE', NOW.getTime())));
    });
    const r = await em(`${base}/old`);
    expect(r.status).toBe('window');
    expect(tokens).toEqual([EM_TOKEN, EM_TOKEN]);
  });
});

// ---------------------------------------------------------------- which interpreter a workspace may name

describe('trust: an interpreter named by workspace settings is confirmed', () => {
  it("a workspace value that differs from the user's asks once", () => {
    expect(interpreterTrust({ globalValue: '/usr/bin/python3', workspaceValue: './evil/python', confirmedPath: undefined })).toEqual({
      kind: 'confirm',
      python: './evil/python',
      from: "the workspace's wattlens.pythonPath setting",
    });
  });

  it('a workspace-folder value with no user value asks too', () => {
    expect(interpreterTrust({ workspaceFolderValue: '/tmp/x/python' }).kind).toBe('confirm');
  });

  it('the confirmed path, remembered for the workspace, runs without asking again', () => {
    expect(interpreterTrust({ workspaceValue: '/opt/venv/bin/python', confirmedPath: '/opt/venv/bin/python' })).toEqual({
      kind: 'use',
      python: '/opt/venv/bin/python',
      from: "the workspace's wattlens.pythonPath setting (confirmed)",
    });
  });

  it('a workspace that changes its interpreter after confirmation asks again', () => {
    expect(interpreterTrust({ workspaceValue: '/opt/venv/bin/evil', confirmedPath: '/opt/venv/bin/python' }).kind).toBe('confirm');
  });

  it("a workspace value equal to the user's runs without asking", () => {
    expect(interpreterTrust({ globalValue: '/usr/bin/python3', workspaceValue: ' /usr/bin/python3 ' }).kind).toBe('use');
  });

  it("the user's own setting runs without asking", () => {
    expect(interpreterTrust({ globalValue: '/usr/bin/python3' })).toEqual({
      kind: 'use',
      python: '/usr/bin/python3',
      from: 'the wattlens.pythonPath setting',
    });
  });

  it("a blank or non-string workspace value is ignored (no setting: the Python extension's choice)", () => {
    expect(interpreterTrust({ workspaceValue: '   ' })).toEqual({ kind: 'none' });
    expect(interpreterTrust({ workspaceValue: 42, workspaceFolderValue: ['x'] })).toEqual({ kind: 'none' });
  });

  it('the folder value wins over the workspace value, as VS Code resolves it', () => {
    const d = interpreterTrust({ workspaceValue: '/a/python', workspaceFolderValue: '/b/python', confirmedPath: '/a/python' });
    expect(d).toMatchObject({ kind: 'confirm', python: '/b/python' });
  });
});
