// The module info text the go command embeds in binaries (what `go version -m` prints):
// tab-separated lines `path`, `mod` (the main module), `dep` (each dependency) and `=>`
// (a replacement of the line before it), `build` (settings, not read here).

/** One module: path and version as built, and its replacement when go.mod replaced it. */
export interface GoModule {
  path: string;
  /** `v1.2.3`, a pseudo-version, `(devel)` for a main module built from a checkout, or '' for none. */
  version: string;
  replace?: { path: string; version: string };
}

/** Parsed module info. */
export interface GoModInfo {
  /** The main package's import path (`path` line), or '' when absent. */
  path: string;
  main: GoModule | null;
  deps: GoModule[];
}

/** Parses module info text; unknown or malformed lines are ignored. */
export function parseGoModInfo(text: string): GoModInfo {
  const info: GoModInfo = { path: '', main: null, deps: [] };
  let last: GoModule | null = null;
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    const kind = f[0];
    if (kind === 'path') info.path = f[1] ?? '';
    else if ((kind === 'mod' || kind === 'dep') && f[1]) {
      last = { path: f[1], version: f[2] ?? '' };
      if (kind === 'mod') info.main = last;
      else info.deps.push(last);
    } else if (kind === '=>' && last && f[1]) {
      last.replace = { path: f[1], version: f[2] ?? '' };
      last = null;
    }
  }
  return info;
}

/**
 * The module an advisory would be filed under: the replacement when it is another module
 * (it has a version), the original when the replacement is a local directory (no version:
 * the code is the original module's, as vendored or patched locally).
 */
export function effectiveModule(m: GoModule): { path: string; version: string } {
  if (m.replace && m.replace.version !== '') return m.replace;
  return { path: m.path, version: m.version };
}

/**
 * The Go toolchain's release as OSV's `stdlib` package versions it: `go1.21.5` → `1.21.5`,
 * `go1.20` → `1.20.0`, `go1.21rc2` → `1.21.0-rc.2`; null for `devel …` builds and anything
 * else that is no release. A suffix after a space (`go1.22.1 X:boringcrypto`) is ignored.
 */
export function stdlibVersion(goVersion: string): string | null {
  const m = /^go(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(?:(rc|beta)(\d{1,4}))?(?: |$)/.exec(goVersion);
  if (!m) return null;
  const core = `${m[1]}.${m[2]}.${m[3] ?? '0'}`;
  return m[4] ? `${core}-${m[4]}.${m[5]}` : core;
}
