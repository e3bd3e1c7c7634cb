// The training script's environment: the runner's, without WattLens's secrets. A script is the
// user's code but may be a stranger's repository, and it prints and logs what it likes.

/** WattLens secrets by name; any WATTLENS_* variable named like a credential is one too. */
export const SECRET_ENV_NAMES: readonly string[] = ['WATTLENS_ELECTRICITY_MAPS_TOKEN'];
const SECRET_LIKE = /^WATTLENS_\w*(TOKEN|SECRET|PASSWORD|API_KEY|APIKEY)$/i;

export function isSecretEnvName(name: string): boolean {
  return SECRET_ENV_NAMES.includes(name) || SECRET_LIKE.test(name);
}

/** `base` plus `extra`, less the secrets. */
export function scriptEnvironment(base: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries({ ...base, ...extra })) if (v !== undefined && !isSecretEnvName(k)) env[k] = v;
  return env;
}
