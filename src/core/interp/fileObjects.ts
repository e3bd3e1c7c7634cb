// open() of a text file for reading: what a model reads its architecture from (darknet .cfg
// files, plain config text). The loader decides what may be read — inside the workspace or the
// environment, a regular file within the size limit, as for imports — so a model never sees a
// file an import could not. Any other use of open() stays Unknown with its reason.
import type { Interpreter } from './interpreter';
import { builtin, nativeClass } from './native';
import { PyInstance, PyList, type Value } from './values';

const READ_MODES = new Set(['r', 'rt', 'tr']);

export function openBuiltin(it: Interpreter): Value {
  const TextFile = nativeClass('TextIOWrapper', [it.classes.object], {
    methods: {
      read: (a) => textOf(a.positional[0]),
      readlines: (a) => new PyList(linesOf(textOf(a.positional[0]))),
      __iter__: (a) => new PyList(linesOf(textOf(a.positional[0]))),
      __enter__: (a) => a.positional[0] ?? null,
      __exit__: () => false,
      close: () => null,
    },
  });
  return builtin('open', (a) => {
    const path = a.positional[0] ?? a.keywords.get('file') ?? null;
    const mode = a.positional[1] ?? a.keywords.get('mode') ?? 'r';
    if (typeof path !== 'string') return it.unknown('open() of a path that is not known');
    if (typeof mode !== 'string' || !READ_MODES.has(mode))
      return it.unknown(`open() in mode ${String(mode)}: only text files read are modelled`);
    if (!path.startsWith('/')) return it.unknown(`open('${path}'): a relative path, and the working folder is not known`);
    const read = it.options.loader.readDataFile?.(path);
    if (!read) return it.unknown('files are not read during static analysis');
    if ('reason' in read) return it.unknown(`open('${path}'): ${read.reason}`);
    const file = new PyInstance(TextFile);
    file.payload = read.text;
    return file;
  });
}

function textOf(file: Value | undefined): string {
  return file instanceof PyInstance && typeof file.payload === 'string' ? file.payload : '';
}

/** Lines as Python's text files give them: each with its newline, universal newlines read as '\n'. */
function linesOf(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
