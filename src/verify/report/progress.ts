/**
 * A progress indication on stderr while checks run, so that stdout stays the report (human or JSON).
 * On a terminal: a spinner line with the current step, redrawn in place and cleared before output. Elsewhere (CI
 * logs): one plain line per step of the live login, the only step that takes seconds.
 */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Progress {
  update(message: string): void;
  /** Erases the spinner line before something else is written to the terminal. */
  clear(): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) {
    return {
      update: (message) => {
        if (message.startsWith('live login:')) stream.write(`… ${message}\n`);
      },
      clear: () => {},
      stop: () => {},
    };
  }
  let message = '';
  let frame = 0;
  let shown = false;
  const draw = () => {
    if (!message) return;
    const width = (stream.columns ?? 80) - 3;
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${message.slice(0, width)}`);
    shown = true;
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return {
    update: (m) => {
      message = m;
      draw();
    },
    clear,
    stop: () => {
      clearInterval(timer);
      clear();
      message = '';
    },
  };
}
