// A forward argument that is a tuple of tensors, such as the (h0, c0) state of an LSTM, written in
// --input and `# wattlens: input=` with parentheses: "35x10,(2x10x200,2x10x200)".
// Figures from real torch 1.13 (/usr/bin/python3, torch_macs.count) on the sources below.
import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../../../src/core/analysis/engine';
import { formatShapes, parseInputShapes } from '../../../src/core/analysis/inputSpec';
import { validateInputShape } from '../../../src/core/editor/inputDirective';
import type { ModelValue } from '../../../src/core/tfjs/graph';
import { resolveInputs } from '../../../src/core/tfjs/inputs';
import { analyzeSource } from '../editor/analyze';

describe('parseInputShapes with tuples', () => {
  it('reads a tuple as one argument and lists its tensors in place', () => {
    expect(parseInputShapes('35x10,(2x10x200,2x10x200)')).toEqual({
      shapes: [
        [35, 10],
        [2, 10, 200],
        [2, 10, 200],
      ],
      args: [
        [35, 10],
        {
          tuple: [
            [2, 10, 200],
            [2, 10, 200],
          ],
        },
      ],
    });
  });

  it('reads nested tuples and one-element tuples', () => {
    const parsed = parseInputShapes('5x2x8,((1x2x12,1x2x12),(1x2x6))');
    expect(parsed).toEqual({
      shapes: [
        [5, 2, 8],
        [1, 2, 12],
        [1, 2, 12],
        [1, 2, 6],
      ],
      args: [
        [5, 2, 8],
        {
          tuple: [
            {
              tuple: [
                [1, 2, 12],
                [1, 2, 12],
              ],
            },
            { tuple: [[1, 2, 6]] },
          ],
        },
      ],
    });
  });

  it('formats back the text it read, plain shapes unchanged', () => {
    for (const text of ['1x3x224x224', '1x100x80,1', 'Bx3x224x224', 'Tx1,(2x1x8,2x1x8)', '5x2x8,((1x2x12,1x2x12),(1x2x6))']) {
      const parsed = parseInputShapes(text);
      if ('error' in parsed) throw new Error(parsed.error);
      expect(formatShapes(parsed.args)).toBe(text);
    }
    expect(parseInputShapes('1x100x80, 1')).toEqual({ shapes: [[1, 100, 80], [1]], args: [[1, 100, 80], [1]] });
  });

  it('says what is wrong with a malformed tuple', () => {
    const error = (text: string) => {
      const parsed = parseInputShapes(text);
      return 'error' in parsed ? parsed.error : undefined;
    };
    expect(error('35x10,(2x10x200,2x10x200')).toBe(
      'unbalanced parentheses in input "35x10,(2x10x200,2x10x200": the "(" at character 7 is not closed',
    );
    expect(error('35x10,2x10x200)')).toBe('unbalanced parentheses in input "35x10,2x10x200)": the ")" at character 15 closes no "("');
    expect(error('35x10,()')).toMatch(/^empty tuple "\(\)" in input "35x10,\(\)": a tuple holds one or more shapes/);
    expect(error('35x10,(( ))')).toMatch(/^empty tuple/);
    expect(error('35x10,(2x10)x3')).toMatch(/^malformed input "\(2x10\)x3": a tuple in parentheses stands alone between commas/);
    expect(error('35x10,2x(10)')).toMatch(/^malformed input shape "2x\(10\)": a tuple in parentheses stands alone/);
    expect(error('35x10,(2x10,2.5)')).toBe('malformed input shape "2.5": use dims like 1x3x224x224 (numbers or names such as B, T)');
    expect(validateInputShape('35x10,(2x10x200')).toMatch(/^unbalanced parentheses/);
    expect(validateInputShape('35x10,(2x10x200,2x10x200)')).toBeUndefined();
  });
});

const TINY_LM = `import torch.nn as nn


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Embedding(100, 16)
        self.rnn = nn.LSTM(16, 24, 2)
        self.decoder = nn.Linear(24, 100)

    def forward(self, input, hidden):
        emb = self.encoder(input)
        output, hidden = self.rnn(emb, hidden)
        return self.decoder(output), hidden
`;

describe('a forward that takes an LSTM state tuple', () => {
  it('gets torch’s MACs with the (h0, c0) pair from --input', async () => {
    const m = (await analyzeSource(TINY_LM, { input: '7x3,(2x3x24,2x3x24)' })).models[0]!;
    expect(m.params).toBe(12932);
    expect(m.macs).toBe(227808);
    expect(m.input).toMatchObject({
      text: '7x3,(2x3x24,2x3x24)',
      source: 'cli',
      shapes: [
        [7, 3],
        [2, 3, 24],
        [2, 3, 24],
      ],
    });
  });

  it('gets them from a # wattlens: input= comment too', async () => {
    const m = (await analyzeSource(TINY_LM.replace('class TinyLM', '# wattlens: input=7x3,(2x3x24,2x3x24)\nclass TinyLM'))).models[0]!;
    expect(m.macs).toBe(227808);
    expect(m.input).toMatchObject({ source: 'comment', text: '7x3,(2x3x24,2x3x24)' });
  });

  it('unpacks nested tuples', async () => {
    const source = `import torch.nn as nn


class TwoStage(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.LSTM(8, 12)
        self.second = nn.LSTM(12, 6)

    def forward(self, x, states):
        first_state, second_state = states
        y, _ = self.first(x, first_state)
        z, _ = self.second(y, second_state)
        return z
`;
    const m = (await analyzeSource(source, { input: '5x2x8,((1x2x12,1x2x12),(1x2x6,1x2x6))' })).models[0]!;
    expect(m.params).toBe(1536);
    expect(m.macs).toBe(13920);
  });

  it('rejects a malformed tuple with a message, not a stack trace', async () => {
    const failure = analyzeSource(TINY_LM, { input: '7x3,(2x3x24,2x3x24' });
    await expect(failure).rejects.toBeInstanceOf(AnalysisError);
    await expect(failure).rejects.toThrow('unbalanced parentheses in input "7x3,(2x3x24,2x3x24": the "(" at character 5 is not closed');
  });
});

describe('a TF.js model', () => {
  it('takes no tuples: one shape per input', () => {
    const model = { kind: 'sequential', inputs: [] } as unknown as ModelValue;
    expect(() => resolveInputs(model, { input: '1x28x28x1,(1x4,1x4)' })).toThrow(
      '--input 1x28x28x1,(1x4,1x4): a TF.js model takes one shape per input; tuples in parentheses are for PyTorch forward arguments',
    );
    expect(resolveInputs(model, { input: '1x28x28x1' }).spec.text).toBe('1x28x28x1');
  });
});
