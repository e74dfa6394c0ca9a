/** Minimal globs for path ignores: `**` any folders, `*` within a segment, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern without a slash matches at any depth, like .gitignore.
  const anchored = glob.includes('/') ? `^${out}` : `(?:^|/)${out}`;
  return new RegExp(`${anchored}(?:/.*)?$`);
}

export function matchesAnyGlob(path: string, globs: readonly RegExp[]): boolean {
  const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return globs.some((g) => g.test(normalized));
}
