// "WattLens: Set Electricity Maps Token": the token for carbon-aware start with Electricity Maps,
// kept in VS Code's SecretStorage (the OS keychain), never in settings and never logged. An empty
// input deletes it.
import * as vscode from 'vscode';

export const SET_ELECTRICITY_MAPS_TOKEN_COMMAND = 'wattlens.setElectricityMapsToken';
export const ELECTRICITY_MAPS_TOKEN_KEY = 'wattlens.electricityMapsToken';

export function readElectricityMapsToken(secrets: vscode.SecretStorage): Thenable<string | undefined> {
  return secrets.get(ELECTRICITY_MAPS_TOKEN_KEY);
}

export async function setElectricityMapsToken(secrets: vscode.SecretStorage): Promise<void> {
  const hasToken = Boolean(await readElectricityMapsToken(secrets));
  const input = await vscode.window.showInputBox({
    title: 'WattLens: Electricity Maps token',
    prompt: `For carbon-aware start with wattlens.carbonAware.provider = "electricitymaps". Kept in VS Code's secret storage.${hasToken ? ' A token is set; leave empty to delete it.' : ''}`,
    placeHolder: hasToken ? 'empty: delete the stored token' : 'your Electricity Maps API token',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (/\s/.test(v.trim()) ? 'a token has no spaces' : undefined),
  });
  if (input === undefined) return; // dismissed: nothing changes
  const token = input.trim();
  if (!token) {
    await secrets.delete(ELECTRICITY_MAPS_TOKEN_KEY);
    void vscode.window.showInformationMessage(
      hasToken ? 'WattLens: the Electricity Maps token was deleted.' : 'WattLens: no Electricity Maps token is stored.',
    );
    return;
  }
  await secrets.store(ELECTRICITY_MAPS_TOKEN_KEY, token);
  const provider = vscode.workspace.getConfiguration('wattlens').get<string>('carbonAware.provider');
  void vscode.window.showInformationMessage(
    provider === 'electricitymaps'
      ? 'WattLens: Electricity Maps token stored; the next pilot suggests a low-carbon start.'
      : 'WattLens: Electricity Maps token stored. Set wattlens.carbonAware.provider to "electricitymaps" (and wattlens.carbonAware.area to a zone) to use it.',
  );
}
