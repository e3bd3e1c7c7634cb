import { describe, expect, it } from 'vitest';
import { inputDirectiveEdit, validateInputShape } from '../../../src/core/editor/inputDirective';

describe('# wattlens: input= comment', () => {
  it('inserts the comment above the class, or above its decorators', () => {
    expect(inputDirectiveEdit(['import torch', '', 'class Net(nn.Module):'], 3, '1x3x224x224')).toEqual({
      line: 3,
      mode: 'insert',
      text: '# wattlens: input=1x3x224x224',
    });
    expect(inputDirectiveEdit(['    @register', '    class Net(nn.Module):'], 1, 'Bx128')).toEqual({
      line: 1,
      mode: 'insert',
      text: '    # wattlens: input=Bx128',
    });
  });

  it('updates an existing comment in place, keeping its other words', () => {
    expect(inputDirectiveEdit(['# wattlens: input=1x3x32x32', 'class Net(nn.Module):'], 2, '8x3x64x64')).toEqual({
      line: 1,
      mode: 'replace',
      text: '# wattlens: input=8x3x64x64',
    });
    expect(inputDirectiveEdit(['#wattlens: batch=4', '', 'def build():'], 3, '1x10')).toEqual({
      line: 1,
      mode: 'replace',
      text: '# wattlens: batch=4 input=1x10',
    });
  });

  it('keeps a model= call and set overrides, and does not mistake their words for the input', () => {
    const lines = ["# wattlens: model=Net(Config(depth=4, input=3)) set input='x' set model.n_layer=2", 'class Net(nn.Module):'];
    expect(inputDirectiveEdit(lines, 2, '1x16').text).toBe(
      "# wattlens: model=Net(Config(depth=4, input=3)) set input='x' set model.n_layer=2 input=1x16",
    );
    const withInput = ['# wattlens: model=GPT(GPT.get_default_config()) input=1x8 set n_layer=2', 'class GPT(nn.Module):'];
    expect(inputDirectiveEdit(withInput, 2, '1x32').text).toBe('# wattlens: model=GPT(GPT.get_default_config()) input=1x32 set n_layer=2');
  });

  it('does not touch a comment too far above to belong to the definition', () => {
    const lines = ['# wattlens: input=1x1', '', '', '', '', 'class Net(nn.Module):'];
    expect(inputDirectiveEdit(lines, 6, '2x2').mode).toBe('insert');
  });

  it('validates shapes as the engine reads them', () => {
    expect(validateInputShape('1x3x224x224')).toBeUndefined();
    expect(validateInputShape('Bx100x80,B')).toBeUndefined();
    expect(validateInputShape('1x3x2.5')).toMatch(/malformed input shape/);
    expect(validateInputShape('')).toMatch(/empty/);
  });
});
