// The names a star import binds, read from the text: strings, docstrings with escaped and
// embedded quotes, comments, brackets and continuations must not hide or invent bindings.
import { describe, expect, it } from 'vitest';
import { starImportNames } from '../../../src/core/interp/staticNames';

describe('starImportNames', () => {
  it('skips docstrings, escapes, comments and def bodies; joins brackets and continuations', () => {
    const text = [
      '"""Module doc with "quotes", \'\'\' inside and a fake\nbinding = 1\n"""',
      'import os.path as osp  # comment with x = 1',
      'from .layers import (Mlp,',
      '    DropPath as Drop)',
      "A = 'it\\'s # not a comment'",
      'B, C = (1,',
      '        2)',
      'D = 1 + \\',
      '    2',
      'def build(x):',
      '    """doc \\""" still doc"""',
      '    hidden = 3',
      'class Net:',
      '    inner = 4',
      'for E in range(3): F = E',
      '_private = 5',
    ].join('\n');
    expect(starImportNames(text)?.sort()).toEqual(['A', 'B', 'C', 'D', 'Drop', 'E', 'F', 'Mlp', 'Net', 'build', 'osp'].sort());
  });

  it('a literal __all__ is exact; dynamic bindings and unterminated strings are unknown', () => {
    expect(starImportNames("'''doc'''\n__all__ = ['a', \"b\"]\na = b = c = 1\n")).toEqual(['a', 'b']);
    expect(starImportNames('globals()["x"] = 1\n')).toBeUndefined();
    expect(starImportNames('x = """never closed\n')).toBeUndefined();
    expect(starImportNames("x = 'broken\ny = 2\n")).toBeUndefined();
  });
});
