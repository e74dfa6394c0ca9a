/**
 * Path globs of `ignorePaths`, with picomatch (`**`, `*`, `?`, `{a,b}`, `[ab]`, `!(x)`), plus two
 * rules of .gitignore: a pattern without a slash matches at any depth, and a pattern that names a
 * folder matches everything under it.
 */
import picomatch from 'picomatch';

export type PathMatcher = (path: string) => boolean;

export function compileGlobs(globs: readonly string[]): PathMatcher {
  if (globs.length === 0) return () => false;
  const patterns: string[] = [];
  for (const raw of globs) {
    const glob = raw.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    const anywhere = glob.includes('/') ? [glob] : [glob, `**/${glob}`];
    for (const p of anywhere) patterns.push(p, `${p}/**`);
  }
  const isMatch = picomatch(patterns, { dot: true });
  return (path) => isMatch(path.replace(/\\/g, '/').replace(/^\.\//, ''));
}
