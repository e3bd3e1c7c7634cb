// The panel's styles: VS Code's theme variables only, so light, dark and high-contrast themes
// all work; nothing inline (the CSP allows styles by nonce and constructable stylesheets).
import { css } from 'lit';

export const panelStyles = css`
  :host {
    display: block;
    max-width: 100%;
    overflow-x: clip;
    color: var(--vscode-foreground);
    font-family: var(--vscode-font-family);
    font-size: var(--vscode-font-size);
  }
  h3 {
    font-size: 1em;
    margin: 14px 0 6px;
  }
  code {
    font-family: var(--vscode-editor-font-family);
  }
  a {
    color: var(--vscode-textLink-foreground);
  }
  .muted {
    color: var(--vscode-descriptionForeground);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    margin: 6px 0;
  }
  .status {
    flex: 1 1 auto;
  }
  .status.stale {
    color: var(--vscode-editorWarning-foreground);
  }
  .blocking {
    margin: 6px 0;
    padding: 4px 8px;
    border-left: 3px solid var(--vscode-editorWarning-foreground);
  }
  .notice {
    margin: 6px 0;
    padding: 4px 8px;
    border-left: 3px solid var(--vscode-focusBorder);
    background: var(--vscode-textBlockQuote-background);
  }
  .notice.warning {
    border-color: var(--vscode-editorWarning-foreground);
  }
  .notice.error {
    border-color: var(--vscode-errorForeground);
  }
  .figures {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(130px, 1fr));
    gap: 6px;
    margin: 8px 0;
  }
  .figure {
    padding: 6px 8px;
    border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, #8884));
    border-radius: 3px;
  }
  .figure-label {
    color: var(--vscode-descriptionForeground);
    font-size: 0.9em;
  }
  .figure-value {
    font-size: 1.25em;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .figure-value.unknown {
    color: var(--vscode-editorWarning-foreground);
  }
  .figure-meta {
    font-size: 0.85em;
  }
  .reason {
    color: var(--vscode-descriptionForeground);
  }
  .interval {
    font-size: 0.85em;
    color: var(--vscode-descriptionForeground);
    padding: 0 8px 4px;
  }
  .prov {
    font-size: 0.8em;
    padding: 0 4px;
    border-radius: 2px;
    border: 1px solid currentColor;
  }
  .prov-measured {
    color: var(--vscode-charts-green, var(--vscode-foreground));
  }
  .prov-estimated {
    color: var(--vscode-charts-blue, var(--vscode-foreground));
  }
  .prov-unknown {
    color: var(--vscode-editorWarning-foreground, var(--vscode-foreground));
  }
  .input-line {
    margin: 4px 0;
  }
  .memory {
    display: grid;
    gap: 4px;
  }
  .memory-row {
    display: grid;
    grid-template-columns: minmax(120px, 1.2fr) 2fr auto;
    gap: 6px;
    align-items: center;
  }
  .memory-bar {
    height: 8px;
    background: var(--vscode-editorWidget-background, #8882);
    border: 1px solid var(--vscode-widget-border, #8884);
    position: relative;
  }
  .memory-fill {
    position: absolute;
    left: 0;
    top: 0;
    bottom: 0;
    background: var(--vscode-charts-green, #89d185);
  }
  .memory-row.over .memory-fill {
    background: var(--vscode-charts-red, #f14c4c);
  }
  .memory-row.over {
    color: var(--vscode-errorForeground);
  }
  .num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    margin: 6px 0;
  }
  th,
  td {
    padding: 2px 6px;
    border-bottom: 1px solid var(--vscode-widget-border, #8883);
    text-align: left;
  }
  .suggestion {
    border: 1px solid var(--vscode-widget-border, #8884);
    border-radius: 3px;
    padding: 8px;
    margin: 8px 0;
  }
  .suggestion-head {
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
    margin-bottom: 4px;
  }
  .pilot-form {
    display: grid;
    gap: 6px;
    margin: 6px 0;
  }
  .pilot-form label {
    display: grid;
    gap: 2px;
    min-width: 0;
  }
  .pilot-form vscode-textfield,
  .pilot-form vscode-single-select,
  .picker vscode-single-select {
    width: 100%;
    min-width: 0;
    box-sizing: border-box;
  }
  .run-status {
    margin: 8px 0;
  }
  .runs {
    display: grid;
    gap: 4px;
  }
  .run {
    display: flex;
    gap: 6px;
    align-items: flex-start;
    padding: 4px;
    border: 1px solid transparent;
  }
  .run.picked {
    border-color: var(--vscode-focusBorder);
  }
  vscode-tabs {
    margin-top: 4px;
  }
  vscode-collapsible {
    margin: 8px 0;
  }
  ul {
    margin: 4px 0;
    padding-left: 18px;
  }
  .picker {
    display: flex;
    gap: 6px;
    align-items: center;
  }
  .uplot {
    font-family: var(--vscode-font-family);
  }
`;
