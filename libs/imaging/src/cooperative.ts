/**
 * Long computations written as generators that `yield` between passes, so one code path serves
 * both plain synchronous callers (training scripts, tests) and the service, which gives the event
 * loop a turn at every yield and so keeps answering HTTP while a study is analysed.
 */
export type Steps<T> = Generator<void, T, void>;

export function runSync<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export async function runCooperative<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
