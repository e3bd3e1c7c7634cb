// Which documents WattLens analyzes: size cap and minified text (a clear reason when skipped),
// and which TypeScript / JavaScript files are TensorFlow.js models.

export type AnalyzedLanguage = 'python' | 'tfjs';

/** Lines longer than this are minified or generated code, not a model someone writes. */
const MAX_LINE_CHARS = 20_000;

export function admissionProblem(text: string, maxFileSizeKB: number): string | undefined {
  const kb = Buffer.byteLength(text, 'utf8') / 1024;
  if (kb > maxFileSizeKB) return `file is ${Math.round(kb)} KB, over the ${maxFileSizeKB} KB cap (wattlens.maxFileSizeKB)`;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > MAX_LINE_CHARS) return `a line is ${end - start} characters long: minified or generated code is not analyzed`;
    start = end + 1;
  }
  if (text.includes('\u0000')) return 'not a text file';
  return undefined;
}

const TFJS_IMPORT = /(?:from\s+|require\s*\(\s*|import\s*\(\s*|import\s+)['"]@tensorflow\/tfjs(?:-[\w-]+)?['"]/;

/** The analyzer for a document: Python, TF.js (a TS/JS file that imports @tensorflow/tfjs), or none. */
export function analyzedLanguage(languageId: string, text: string): AnalyzedLanguage | undefined {
  if (languageId === 'python') return 'python';
  if (/^(typescript|javascript|typescriptreact|javascriptreact)$/.test(languageId) && TFJS_IMPORT.test(text)) return 'tfjs';
  return undefined;
}
