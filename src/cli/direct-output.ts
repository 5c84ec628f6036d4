import { writeSync } from 'node:fs';

/**
 * A writer to the process's stdout (1) or stderr (2) that writes with `fs.writeSync`, as Node's own
 * stdio streams do on Linux for files, pipes and terminals, without building the stream: for a
 * pipe that is a `net.Socket` (node:net and the stream modules), ≈3 ms CPU of a `validate` start
 * that writes one line (docs/performance.md, issue 17). On any error (EAGAIN on a descriptor a
 * parent left non-blocking, EPIPE, …) the rest of the text, and every later write, goes to the
 * stream, which then behaves as it always did.
 */
export function directWriter(fd: number, stream: () => NodeJS.WritableStream): (text: string) => void {
  let viaStream = false;
  return (text) => {
    if (viaStream) {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let at = 0;
    try {
      while (at < bytes.length) at += writeSync(fd, bytes, at);
    } catch {
      viaStream = true;
      stream().write(bytes.subarray(at));
    }
  };
}
