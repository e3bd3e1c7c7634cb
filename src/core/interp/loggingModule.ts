// logging as library code configures it at import time (transformers' utils/logging: a root
// logger with a StreamHandler, levels, `Logger.warning_once = …`). Nothing is ever printed:
// loggers, handlers and formatters are objects whose methods do nothing, levels are numbers.
import type { Interpreter } from './interpreter';
import { builtin, moduleOf, nativeClass } from './native';
import { PyDict, PyInstance, PyList, type NativeFn, type PyModule, type Value } from './values';

const LEVELS: Record<string, number> = { CRITICAL: 50, FATAL: 50, ERROR: 40, WARNING: 30, WARN: 30, INFO: 20, DEBUG: 10, NOTSET: 0 };

export function loggingModule(it: Interpreter): PyModule {
  const none: NativeFn = () => null;
  const quiet = (names: string[], extra: Record<string, NativeFn> = {}): Record<string, NativeFn> => ({
    ...Object.fromEntries(names.map((n) => [n, none])),
    ...extra,
  });
  const initWith =
    (defaults: Record<string, Value>): NativeFn =>
    (a) => {
      const self = a.positional[0];
      if (self instanceof PyInstance) {
        for (const [k, v] of Object.entries(defaults)) if (!self.attrs.has(k)) self.attrs.set(k, v);
        if (typeof a.positional[1] === 'string') self.attrs.set('name', a.positional[1]);
      }
      return null;
    };
  const Filterer = nativeClass('Filterer', [it.classes.object], { methods: quiet(['addFilter', 'removeFilter', 'filter']) });
  const Handler = nativeClass('Handler', [Filterer], {
    methods: quiet(['setLevel', 'setFormatter', 'flush', 'close', 'emit', 'handle', 'acquire', 'release'], {
      __init__: (a) => {
        const self = a.positional[0];
        if (self instanceof PyInstance) {
          self.attrs.set('level', 0);
          self.attrs.set('formatter', null);
        }
        return null;
      },
    }),
  });
  const StreamHandler = nativeClass('StreamHandler', [Handler]);
  const FileHandler = nativeClass('FileHandler', [StreamHandler]);
  const NullHandler = nativeClass('NullHandler', [Handler]);
  const Formatter = nativeClass('Formatter', [it.classes.object], { methods: { __init__: none, format: () => '' } });
  const Filter = nativeClass('Filter', [it.classes.object], { methods: { __init__: none, filter: () => true } });
  const loggerMethods = quiet(
    ['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'setLevel', 'addHandler', 'removeHandler'],
    {
      __init__: initWith({ level: 0, propagate: true, disabled: false }),
      getEffectiveLevel: () => LEVELS.WARNING,
      isEnabledFor: () => false,
      hasHandlers: () => false,
      getChild: (a) => getLogger(typeof a.positional[1] === 'string' ? a.positional[1] : 'child'),
    },
  );
  const Logger = nativeClass('Logger', [Filterer], { methods: loggerMethods });
  const loggers = new Map<string, PyInstance>();
  function getLogger(name: string): PyInstance {
    let logger = loggers.get(name);
    if (!logger) {
      logger = new PyInstance(Logger);
      logger.attrs.set('name', name);
      logger.attrs.set('level', 0);
      logger.attrs.set('propagate', true);
      logger.attrs.set('disabled', false);
      logger.attrs.set('handlers', new PyList([]));
      loggers.set(name, logger);
    }
    return logger;
  }
  const root = getLogger('root');
  const fns: Record<string, Value> = {};
  for (const n of [
    'debug',
    'info',
    'warning',
    'warn',
    'error',
    'exception',
    'critical',
    'log',
    'basicConfig',
    'captureWarnings',
    'disable',
  ])
    fns[n] = builtin(`logging.${n}`, none);
  return moduleOf('logging', {
    ...LEVELS,
    ...fns,
    getLogger: builtin('getLogger', (a) => (typeof a.positional[0] === 'string' ? getLogger(a.positional[0]) : root)),
    getLevelName: builtin('getLevelName', (a) => {
      const v = a.positional[0];
      const hit = Object.entries(LEVELS).find(([, n]) => n === v);
      return hit ? hit[0] : typeof v === 'string' && v in LEVELS ? LEVELS[v] : `Level ${String(v)}`;
    }),
    addLevelName: builtin('addLevelName', none),
    Logger,
    Handler,
    StreamHandler,
    FileHandler,
    NullHandler,
    Formatter,
    Filter,
    Filterer,
    LogRecord: nativeClass('LogRecord', [it.classes.object]),
    LoggerAdapter: nativeClass('LoggerAdapter', [it.classes.object], { methods: loggerMethods }),
    root,
    _levelToName: PyDict.of(Object.entries(LEVELS).map(([k, v]) => [v, k])),
    logger: root,
  });
}
