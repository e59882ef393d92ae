/** Reports how far a long job is: `(done, total)`, called after each step and once at the start. */
export type Progress = (done: number, total: number) => void;

/**
 * A progress bar on a terminal (redrawn in place on standard error), or a line every tenth of
 * the way when the output goes to a file or a log.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  let lastTenth = -1;
  return (done, total) => {
    const fraction = total === 0 ? 1 : done / total;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`);
      if (done === total) stream.write('\n');
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth === lastTenth && done !== total) return;
    lastTenth = tenth;
    stream.write(`${Math.round(fraction * 100)} % (${done}/${total} ${label})\n`);
  };
}
