// argparse at import time: library modules define Action subclasses and build parsers while
// being imported. The command line is not known statically, so parsing yields Unknown values.
import type { Interpreter } from './interpreter';
import { builtin, moduleOf, nativeClass } from './native';
import { PyInstance, PyModule, type CallArgs, type Value } from './values';

const NOT_KNOWN = 'command-line arguments are not known statically';

export function argparseModule(it: Interpreter): PyModule {
  const self = (a: CallArgs) => a.positional[0] ?? null;
  const Action = nativeClass('Action', [it.classes.object], {
    methods: {
      __init__: (a) => {
        const inst = a.positional[0];
        if (inst instanceof PyInstance) {
          const names = ['option_strings', 'dest', 'nargs', 'const', 'default', 'type', 'choices', 'required', 'help', 'metavar'];
          names.forEach((n, i) => inst.attrs.set(n, a.keywords.get(n) ?? a.positional[i + 1] ?? (n === 'required' ? false : null)));
        }
        return null;
      },
    },
  });
  // add_argument_group and add_mutually_exclusive_group return the parser itself: every method is shared
  const parserMethods = {
    __init__: () => null,
    add_argument: () => null,
    add_argument_group: self,
    add_mutually_exclusive_group: self,
    add_subparsers: self,
    add_parser: self,
    set_defaults: () => null,
    get_default: () => it.unknown(NOT_KNOWN),
    parse_args: () => it.unknown(NOT_KNOWN),
    parse_known_args: () => it.unknown(NOT_KNOWN),
    print_help: () => null,
    format_help: () => '',
    error: () => it.unknown(NOT_KNOWN),
  };
  const ArgumentParser = nativeClass('ArgumentParser', [it.classes.object], { methods: parserMethods });
  const Namespace = nativeClass('Namespace', [it.classes.object], {
    methods: {
      __init__: (a) => {
        const inst = a.positional[0];
        if (inst instanceof PyInstance) for (const [k, v] of a.keywords) inst.attrs.set(k, v);
        return null;
      },
      // `'dropout' in args`: whether the attribute is set, as argparse's Namespace answers
      __contains__: (a) => {
        const [inst, key] = a.positional;
        if (!(inst instanceof PyInstance) || typeof key !== 'string') return it.unknown('a Namespace tested for a computed name');
        return inst.attrs.has(key);
      },
    },
  });
  const formatter = (name: string) => nativeClass(name, [it.classes.object]);
  const ArgumentError = nativeClass('ArgumentError', [it.classes.exceptions.Exception]);
  const entries: Record<string, Value> = {
    ArgumentParser,
    Action,
    BooleanOptionalAction: nativeClass('BooleanOptionalAction', [Action]),
    Namespace,
    ArgumentError,
    ArgumentTypeError: nativeClass('ArgumentTypeError', [it.classes.exceptions.Exception]),
    HelpFormatter: formatter('HelpFormatter'),
    ArgumentDefaultsHelpFormatter: formatter('ArgumentDefaultsHelpFormatter'),
    RawTextHelpFormatter: formatter('RawTextHelpFormatter'),
    RawDescriptionHelpFormatter: formatter('RawDescriptionHelpFormatter'),
    FileType: builtin('FileType', () => it.unknown('argparse.FileType opens files')),
    SUPPRESS: '==SUPPRESS==',
    REMAINDER: '...',
    OPTIONAL: '?',
    ZERO_OR_MORE: '*',
    ONE_OR_MORE: '+',
  };
  return moduleOf('argparse', entries);
}
