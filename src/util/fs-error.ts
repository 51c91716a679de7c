// A file system error in words, without the path Node puts in its message: that path is often a
// temporary name the user never chose ("ENOENT: ..., open '.tls_policy.4242.9f3c.tmp'"), so the
// caller names the file the user knows instead.

const WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && WORDS[code] !== undefined) return WORDS[code];
  return error instanceof Error ? error.message : String(error);
}
