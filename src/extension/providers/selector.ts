// The documents WattLens's providers serve: Python files and notebook cells, and TF.js sources
// (the providers return nothing for TS/JS files that do not import @tensorflow/tfjs).
import type * as vscode from 'vscode';

export const ANALYZED_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'typescript', scheme: 'file' },
  { language: 'javascript', scheme: 'file' },
];
