// The webview's HTML: the bundle from webview/dist only, under a strict Content Security
// Policy — nothing by default, scripts and styles by a nonce drawn fresh for every render
// (the bundle's styles are constructable stylesheets, which need no <style> at all),
// images only as data: URLs (the PNG export), no inline handlers, no eval, nothing remote.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The folder the webview may load from: the built bundle, nothing else. */
export function bundleRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'webview', 'dist');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [bundleRoot(extensionUri)] };
}

/** 128 random bits, base64: a new one every time the HTML is made. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = makeNonce();
  const root = bundleRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>WattLens energy report</title>
</head>
<body>
<div id="root"><p>Loading the WattLens report…</p></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
