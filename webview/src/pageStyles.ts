// Global styles without <link> or <style> (nothing for the CSP to allow): the page's base rules
// as a constructable stylesheet on the document, and uPlot's stylesheet as a Lit CSSResult for
// the shadow root the charts live in (document styles do not reach into shadow trees).
import { unsafeCSS } from 'lit';
import uplotCss from 'uplot/dist/uPlot.min.css';

const BASE = `
  html, body { margin: 0; overflow-x: clip; }
  body { padding: 0 10px 10px; }
`;

export const chartStyles = unsafeCSS(`${uplotCss}
  .uplot .u-title { font-size: 1em; font-weight: 600; text-align: left; }
  .uplot .u-legend { font-size: 0.9em; color: var(--vscode-foreground); }
`);

export function adoptPageStyles(doc: Document = document): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(BASE);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}
