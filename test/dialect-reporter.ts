import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints how many tests ran on each database dialect (tests named `… [sqlite]` / `… [postgres]`
 * by forEachDialect), and a plain closing line `N passed, N failed`.
 */
export default class DialectReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { sqlite: { passed: 0, failed: 0 }, postgres: { passed: 0, failed: 0 } };
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
        const dialect = /\[(sqlite|postgres)\]/.exec(t.fullName)?.[1] as 'sqlite' | 'postgres' | undefined;
        if (dialect && (state === 'passed' || state === 'failed')) counts[dialect][state]++;
      }
    }
    const line = (d: 'sqlite' | 'postgres') => `${d}: ${counts[d].passed} passed, ${counts[d].failed} failed`;
    console.log(`\nDatabase dialects — ${line('sqlite')}; ${line('postgres')}`);
    if (counts.postgres.passed + counts.postgres.failed === 0) {
      console.log('⚠ No test ran on PostgreSQL (see the warning at the start of the run).');
    }
    console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  }
}
