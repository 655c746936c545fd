// Preloaded into a service the bench starts (`node --import bench/lib/gc-probe.mjs …`): appends one
// JSON line per old-generation GC event to the file named by GARMINSYNC_BENCH_GC_OUT — its kind
// ('incremental': V8 began marking, so the heap is near its limit; 'major': the mark-compact
// itself), when, how long, and the V8 heap's used and total size as the observer sees them just
// after. Row 9 reads it to say where the import's peak comes from. Minor GCs are not recorded.
import { appendFileSync } from 'node:fs';
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';

const out = process.env.GARMINSYNC_BENCH_GC_OUT;
if (out) {
  const t0 = performance.now();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = e.detail?.kind;
      if (kind !== constants.NODE_PERFORMANCE_GC_MAJOR && kind !== constants.NODE_PERFORMANCE_GC_INCREMENTAL) continue;
      const m = process.memoryUsage();
      const name = kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 'major' : 'incremental';
      appendFileSync(
        out,
        `${JSON.stringify({ kind: name, atMs: Math.round(e.startTime - t0), ms: e.duration, heapUsed: m.heapUsed, heapTotal: m.heapTotal })}\n`,
      );
    }
  }).observe({ entryTypes: ['gc'] });
}
