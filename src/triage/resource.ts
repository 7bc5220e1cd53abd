// Short names of resources for lists and messages.

/** The last path segment of an ARN-like resource (`…:user/ci/github-actions-deploy#1` → `github-actions-deploy#1`). */
export function shortResource(resource: string): string {
  const afterColon = resource.slice(resource.lastIndexOf(':') + 1);
  const afterSlash = afterColon.slice(afterColon.lastIndexOf('/') + 1);
  return afterSlash || resource;
}
