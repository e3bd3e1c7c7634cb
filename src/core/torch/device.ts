// torch.device: one interned instance per (type, index), so `x.device == torch.device('cpu')` holds
// by identity, `str(device)` is 'cpu' (the instance's payload) and `device.type` reads as in torch.
// Static analysis runs every tensor on the CPU.
import type { Interpreter } from '../interp/interpreter';
import { nativeClass } from '../interp/native';
import { numericValue } from '../interp/operators';
import { PyClass, PyInstance, type Value } from '../interp/values';

interface Devices {
  cls: PyClass;
  byName: Map<string, PyInstance>;
}

function devices(it: Interpreter): Devices {
  let d = it.ext.get('torchDevices') as Devices | undefined;
  if (!d) {
    const byName = new Map<string, PyInstance>();
    const cls: PyClass = nativeClass('device', [it.classes.object], {
      methods: {
        __construct__: (a) => deviceOf(it, a.positional[1] ?? a.keywords.get('type') ?? 'cpu', a.positional[2] ?? a.keywords.get('index')),
        __instancecheck__: (a) => a.positional[1] instanceof PyInstance && a.positional[1].cls === cls,
      },
    });
    d = { cls, byName };
    it.ext.set('torchDevices', d);
  }
  return d;
}

/** The torch.device class of this interpreter. */
export function deviceClass(it: Interpreter): PyClass {
  return devices(it).cls;
}

/** torch.device('cuda:1'), torch.device('cuda', 1), torch.device(other_device). */
export function deviceOf(it: Interpreter, spec: Value, index?: Value): Value {
  const d = devices(it);
  if (spec instanceof PyInstance && spec.cls === d.cls) return spec;
  if (typeof spec !== 'string') return it.unknown('torch.device of a value that is not known');
  const parts = spec.split(':');
  const type = parts[0];
  const fromSpec = parts.length > 1 ? parts[1] : undefined;
  const n = fromSpec !== undefined ? Number(fromSpec) : index === undefined || index === null ? null : numericValue(index);
  const name = n === null ? type : `${type}:${n}`;
  let inst = d.byName.get(name);
  if (!inst) {
    inst = new PyInstance(d.cls);
    inst.payload = name;
    inst.attrs.set('type', type);
    inst.attrs.set('index', n);
    d.byName.set(name, inst);
  }
  return inst;
}
