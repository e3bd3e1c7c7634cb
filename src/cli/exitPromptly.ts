// A command whose work is done and written leaves at once. A natural exit first drains V8's
// background work (optimizing compiles of hot interpreter functions, concurrent marking) that
// nothing will use: ~10-15% of the CLI's time on resnet50, more on a busy machine. 'exit'
// handlers (the code cache, the result cache) still run; the exit code is process.exitCode.
export function exitWhenFlushed(): void {
  let pending = 2;
  const done = () => {
    // stdout and stderr flushed first: asynchronous pipes (Windows) would lose their tail
    if (--pending === 0) process.exit();
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
