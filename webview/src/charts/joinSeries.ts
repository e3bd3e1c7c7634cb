// Series with different x values on one x axis, as uPlot wants them (x ascending, null gaps).
export function joinSeries(series: [number, number | null][][]): (number | null)[][] {
  const xs = [...new Set(series.flatMap((s) => s.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const out: (number | null)[][] = [xs];
  for (const s of series) {
    const col = new Array<number | null>(xs.length).fill(null);
    for (const [x, y] of s) col[index.get(x)!] = y;
    out.push(col);
  }
  return out;
}
