// importlib as library code uses it to probe and load optional dependencies (transformers'
// import_utils, huggingface_hub): import_module (relative names too), util.find_spec (found or
// None, nothing run) and metadata.version. Installed versions are not read: version() is Unknown.
import type { Interpreter } from './interpreter';
import { builtin, moduleOf, nativeClass } from './native';
import { PyInstance, PyModule, Unknown, type Value } from './values';

/** `importlib.import_module(".x", "pkg")` → "pkg.x"; undefined when the name cannot be resolved. */
export function absoluteModuleName(name: string, pkg: Value): string | undefined {
  if (!name.startsWith('.')) return name;
  if (typeof pkg !== 'string' || !pkg) return undefined;
  const level = name.length - name.replace(/^\.+/, '').length;
  const base = pkg.split('.');
  if (level - 1 > base.length - 1) return undefined;
  const parent = base.slice(0, base.length - (level - 1));
  const rest = name.slice(level);
  return rest ? [...parent, rest].join('.') : parent.join('.');
}

/** Imports `a.b.c` as Python does: `a`, then `a.b`, then `a.b.c`; the value sys.modules holds for it. */
export function importWithParents(it: Interpreter, name: string): Value {
  const parts = name.split('.');
  let mod: PyModule | undefined;
  for (let i = 1; i <= parts.length; i++) mod = it.importModule(parts.slice(0, i).join('.'));
  return mod!.replacedBy ?? mod!;
}

export function importlibModules(it: Interpreter): Record<string, PyModule> {
  const importModule = builtin('import_module', (a) => {
    const raw = a.positional[0] ?? a.keywords.get('name');
    if (typeof raw !== 'string') return it.unknown('importlib.import_module of a name that is not known');
    const name = absoluteModuleName(raw, a.positional[1] ?? a.keywords.get('package') ?? null);
    if (!name) return it.raise('TypeError', `the 'package' argument is required to perform a relative import for '${raw}'`);
    return importWithParents(it, name);
  });
  const spec = nativeClass('ModuleSpec', [it.classes.object]);
  const findSpec = builtin('find_spec', (a) => {
    const raw = a.positional[0] ?? a.keywords.get('name');
    if (typeof raw !== 'string') return it.unknown('importlib.util.find_spec of a name that is not known');
    const name = absoluteModuleName(raw, a.positional[1] ?? a.keywords.get('package') ?? null);
    const found = name ? it.options.loader.canFind?.(name) : false;
    if (found === undefined) return it.unknown(`importlib.util.find_spec('${raw}'): the loader cannot say`);
    if (!found) return null;
    const s = new PyInstance(spec);
    s.attrs.set('name', name!);
    s.attrs.set('parent', name!.split('.').slice(0, -1).join('.'));
    return s;
  });
  const notFound = nativeClass('PackageNotFoundError', [it.classes.exceptions.ModuleNotFoundError]);
  const version = builtin('version', (a) => {
    const dist = a.positional[0] ?? a.keywords.get('distribution_name');
    const u = new Unknown(`the installed version of ${typeof dist === 'string' ? dist : 'a distribution'} is not read`);
    u.pyType = 'str';
    return u;
  });
  const metadata = moduleOf('importlib.metadata', {
    version,
    PackageNotFoundError: notFound,
    metadata: builtin('metadata', () => it.unknown('importlib.metadata.metadata: installed metadata is not read')),
    distributions: builtin('distributions', () => it.unknown('importlib.metadata.distributions: installed metadata is not read')),
    packages_distributions: builtin('packages_distributions', () =>
      it.unknown('importlib.metadata.packages_distributions: installed metadata is not read'),
    ),
  });
  const util = moduleOf('importlib.util', {
    find_spec: findSpec,
    module_from_spec: builtin('module_from_spec', () => it.unknown('importlib.util.module_from_spec is not modelled')),
    spec_from_file_location: builtin('spec_from_file_location', () => it.unknown('importlib.util.spec_from_file_location is not modelled')),
  });
  const importlib = moduleOf('importlib', { import_module: importModule, util, metadata });
  return { importlib, 'importlib.util': util, 'importlib.metadata': metadata };
}

/** types.ModuleType: a class library code subclasses for lazy modules; `__init__(name, doc=None)`. */
export function moduleTypeClass(it: Interpreter) {
  return nativeClass('module', [it.classes.object], {
    methods: {
      __init__: (a) => {
        const self = a.positional[0];
        if (self instanceof PyInstance) {
          self.attrs.set('__name__', a.positional[1] ?? a.keywords.get('name') ?? null);
          self.attrs.set('__doc__', a.positional[2] ?? a.keywords.get('doc') ?? null);
        }
        return null;
      },
    },
  });
}
