/** Shutdown steps, run once, last-added first, each one even if another fails. */
export class Cleanup {
  private readonly steps: { name: string; fn: () => Promise<unknown> | unknown }[] = [];
  private running: Promise<void> | null = null;

  add(name: string, fn: () => Promise<unknown> | unknown): void {
    this.steps.push({ name, fn });
  }

  run(timeoutMs = 15_000): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length) {
        const step = this.steps.pop()!;
        try {
          await Promise.race([
            Promise.resolve().then(step.fn),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
          ]);
        } catch (err) {
          console.error(`cleanup: ${step.name} failed: ${(err as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}
