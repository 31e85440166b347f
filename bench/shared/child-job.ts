/**
 * A benchmark child process's one job (forked with an IPC channel): take the parent's
 * request, answer with the result, exit; on failure, say why on stderr and exit 1.
 */
export function answerParentOnce<Request, Result>(
  name: string,
  job: (request: Request) => Promise<Result>,
): void {
  process.once('message', (request: Request) => {
    job(request).then((result) => {
      process.send?.(result, () => process.exit(0));
    }).catch((error: unknown) => {
      process.stderr.write(`${name} failed: ${String(error)}\n`);
      process.exit(1);
    });
  });
}
