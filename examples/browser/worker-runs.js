// What the Web Workers of these pages share: one run at a time, started by a message of the
// worker's own type ({ type: 'start' }, { type: 'train' }, …) and given an AbortSignal; a new
// start aborts the run before it, { type: 'stop' } aborts the current one (the algorithms
// return their result so far), and an error comes back as { type: 'error', message }.

/**
 * Installs the worker's message handler.
 * @param {string} startType the message type that starts a run
 * @param {(msg: any, signal: AbortSignal) => Promise<void>} run posts its own progress and result
 */
export function serveRuns(startType, run) {
  let controller = null;
  self.onmessage = async ({ data: msg }) => {
    if (msg.type === 'stop') {
      controller?.abort();
      return;
    }
    if (msg.type !== startType) return;
    controller?.abort();
    const current = new AbortController();
    controller = current;
    try {
      await run(msg, current.signal);
    } catch (e) {
      self.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      if (controller === current) controller = null;
    }
  };
}
