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

/**
 * Holds a press made on the server-rendered page before its code has run: a button (or a
 * checkbox) does nothing until the page is hydrated, and a person does not wait for that.
 * The last such press is kept (its default, a checkbox's toggle, prevented) and made again
 * once the page is live (`<html data-console="ready">`), if its control is still there.
 * Links are left alone: they work without the code. The returned function stops holding,
 * once React listens for presses itself.
 */
function holdEarlyPresses(): () => void {
  let held: HTMLElement | null = null;
  const hold = (event: MouseEvent) => {
    const control = event.target instanceof Element ? event.target.closest('button, input[type="checkbox"], input[type="radio"]') : null;
    if (!(control instanceof HTMLElement) || control.matches(':disabled') || control.closest('a[href]')) return;
    event.preventDefault();
    event.stopPropagation();
    held = control;
  };
  document.addEventListener('click', hold, true);
  return () => {
    document.removeEventListener('click', hold, true);
    const press = held;
    if (!press) return;
    const html = document.documentElement;
    const replay = () => {
      if (press.isConnected) press.click();
    };
    if (html.dataset.console === 'ready') return replay();
    const observer = new MutationObserver(() => {
      if (html.dataset.console !== 'ready') return;
      observer.disconnect();
      replay();
    });
    observer.observe(html, { attributes: true, attributeFilter: ['data-console'] });
  };
}

const releasePresses = holdEarlyPresses();

// A page rendered by the server waits for its first rows to be shown, and one more frame, so
// the console's code does not compete with that first paint for the CPU; the plain page
// (nothing to show yet) and a page opened in a background tab (nothing is painted there, and
// animation frames wait until it is shown) start the console at once.
if (document.getElementById('root')?.firstElementChild && document.visibilityState === 'visible') {
  await painted(1_000);
  await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
await import('./boot');
// The console is hydrating the page (or rendering it): React answers presses from now on.
releasePresses();
