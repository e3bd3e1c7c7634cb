// The environment the e2e setup installs code-server with, when `npm test` itself runs under npm.
import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envWithNode24, toolPaths } from '../../../scripts/e2e/install.mjs';

describe('envWithNode24', () => {
  // what npm 10 on Node 20 hands the scripts of `npm test`
  const outerNpm = {
    PATH: '/usr/bin',
    HOME: '/home/user',
    npm_config_registry: 'https://registry.example/',
    npm_config_user_agent: 'npm/10.8.2 node/v20.20.2 linux x64 workspaces/false',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    npm_lifecycle_event: 'test:e2e',
    NODE: '/usr/bin/node',
  };
  const paths = toolPaths('/cache/wattlens-e2e/1.0.0');
  const env = envWithNode24(paths, outerNpm);

  it("drops the outer npm's user agent, which code-server's postinstall reads the Node version from", () => {
    expect(env.npm_config_user_agent).toBeUndefined();
    expect(env.npm_execpath).toBeUndefined();
    expect(env.npm_node_execpath).toBeUndefined();
    expect(env.npm_lifecycle_event).toBeUndefined();
    expect(env.NODE).toBeUndefined();
  });

  it("keeps the user's own settings and puts Node 24 first on PATH", () => {
    expect(env.HOME).toBe('/home/user');
    expect(env.npm_config_registry).toBe('https://registry.example/');
    expect(env.PATH).toBe(`${paths.nodeBinDir}${delimiter}/usr/bin`);
    expect(env.npm_config_nodedir).toBe(paths.nodeHeadersDir);
  });
});
