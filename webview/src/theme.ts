// Colours from VS Code's theme variables (--vscode-*), read when a chart is drawn; a change of
// theme (VS Code rewrites the variables on <html> and the body class) calls the listeners so
// charts redraw in the new colours. Works in light, dark and high-contrast themes.

export interface ChartColors {
  foreground: string;
  grid: string;
  background: string;
  series: string[];
  font: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function chartColors(): ChartColors {
  const fg = cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#888'));
  return {
    foreground: fg,
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    background: cssVar('--vscode-sideBar-background', cssVar('--vscode-editor-background', '#ffffff')),
    series: [
      cssVar('--vscode-charts-blue', '#3794ff'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-green', '#89d185'),
      cssVar('--vscode-charts-purple', '#b180d7'),
      cssVar('--vscode-charts-red', '#f14c4c'),
      cssVar('--vscode-charts-yellow', '#cca700'),
    ],
    font: `${cssVar('--vscode-font-size', '12px')} ${cssVar('--vscode-font-family', 'sans-serif')}`,
  };
}

/** Calls `listener` when the theme changes; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  let scheduled = false;
  const fire = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      listener();
    });
  };
  const observer = new MutationObserver(fire);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  if (document.body) observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return () => observer.disconnect();
}
