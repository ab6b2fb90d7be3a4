import './styles.css';

/**
 * The entry module is kept tiny: the browser paints the page the server rendered (its first
 * rows included) before the console's code is evaluated and hydrates it. Evaluating React
 * and the app takes a few hundred milliseconds on a slow machine; run first, it would hold
 * back that paint.
 */
await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
await import('./boot');
