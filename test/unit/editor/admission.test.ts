import { describe, expect, it } from 'vitest';
import { admissionProblem, analyzedLanguage } from '../../../src/core/editor/admission';

describe('which documents are analyzed', () => {
  it('skips files over the size cap and minified text, with a reason', () => {
    expect(admissionProblem('x = 1\n'.repeat(10), 1)).toBeUndefined();
    expect(admissionProblem('x = 1\n'.repeat(400), 1)).toBe('file is 2 KB, over the 1 KB cap (wattlens.maxFileSizeKB)');
    expect(admissionProblem(`x = [${'1,'.repeat(15_000)}]`, 512)).toMatch(/minified or generated code is not analyzed/);
    expect(admissionProblem('a\u0000b', 512)).toBe('not a text file');
  });

  it('analyzes Python, and TS/JS only when it imports TensorFlow.js', () => {
    expect(analyzedLanguage('python', '')).toBe('python');
    expect(analyzedLanguage('typescript', "import * as tf from '@tensorflow/tfjs';")).toBe('tfjs');
    expect(analyzedLanguage('javascript', "const tf = require('@tensorflow/tfjs-node');")).toBe('tfjs');
    expect(analyzedLanguage('typescript', "import express from 'express';")).toBeUndefined();
    expect(analyzedLanguage('markdown', "import '@tensorflow/tfjs'")).toBeUndefined();
  });
});
