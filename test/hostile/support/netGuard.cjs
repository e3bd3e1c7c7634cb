// Preloaded (node --require) into a WattLens process under test: every outgoing connection or DNS
// look-up to anything but loopback is refused and written to stderr as one "HOSTILE-NET <target>"
// line, which the suite counts. Loopback stays open for the tests' own servers.
const net = require('node:net');
const dns = require('node:dns');

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

function report(target) {
  process.stderr.write(`HOSTILE-NET ${target}\n`);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const opts =
    typeof args[0] === 'object' && args[0] !== null ? (Array.isArray(args[0]) ? args[0][0] : args[0]) : { port: args[0], host: args[1] };
  const host = opts && (opts.host ?? (opts.path ? 'unix' : 'localhost'));
  if (opts && !opts.path && !LOOPBACK.test(String(host))) {
    report(`${host}:${opts.port}`);
    const error = new Error(`connection to ${host} refused by the hostile-input suite`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, ...rest) {
  if (!LOOPBACK.test(String(hostname))) report(`dns:${hostname}`);
  return lookup.call(this, hostname, ...rest);
};
if (typeof globalThis.fetch === 'function') {
  const realFetch = globalThis.fetch;
  globalThis.fetch = function guardedFetch(input, init) {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (!LOOPBACK.test(url.hostname.replace(/^\[|\]$/g, ''))) {
      report(url.host);
      return Promise.reject(new TypeError(`fetch to ${url.host} refused by the hostile-input suite`));
    }
    return realFetch(input, init);
  };
}
