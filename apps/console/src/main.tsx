import './styles.css';

/**
 * The entry module is kept tiny: the browser paints the page the server rendered (its first
 * rows included) before the console's code is evaluated and hydrates it. Evaluating React
 * and the app takes a few hundred milliseconds on a slow machine; run first, it would hold
 * back that paint.
 */

/**
 * Resolves once the server-rendered page is on screen: when Chromium reports the paint of a
 * list's first row (its `first-row` Element Timing) or, on other pages, the first contentful
 * paint; at the latest after `limit` ms, and at once where neither is reported.
 */
function painted(limit: number): Promise<void> {
  return new Promise((resolve) => {
    const types = PerformanceObserver.supportedEntryTypes;
    const row = document.querySelector('[elementtiming="first-row"]') !== null && types.includes('element');
    if (!row && !types.includes('paint')) return resolve();
    const observer = new PerformanceObserver((list) => {
      const seen = list.getEntries().some((e) => (row ? (e as PerformanceEntry & { identifier?: string }).identifier === 'first-row' : e.name === 'first-contentful-paint'));
      if (seen) done();
    });
    const timer = setTimeout(() => done(), limit);
    function done() {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    }
    observer.observe({ type: row ? 'element' : 'paint', buffered: true });
  });
}

// A page rendered by the server waits for its first rows to be shown, and one more frame, so
// the console's code does not compete with that first paint for the CPU; the plain page
// (nothing to show yet) and a page opened in a background tab (nothing is painted there, and
// animation frames wait until it is shown) start the console at once.
if (document.getElementById('root')?.firstElementChild && document.visibilityState === 'visible') {
  await painted(1_000);
  await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
await import('./boot');
