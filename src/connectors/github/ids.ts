// Stable ids of GitHub identities and credentials (`github:kind:native-id`): one place, so rules and links agree.

/** Identity id of an App installation (installation ids are unique across GitHub). */
export const installationId = (id: number): string => `github:github-app-installation:${id}`;
/** Identity id of a fine-grained PAT granted access to an organization. */
export const fineGrainedPatId = (org: string, tokenId: number): string =>
  `github:fine-grained-pat:${org}/${tokenId}`;
/** Credential id of a fine-grained PAT's token. */
export const fineGrainedPatTokenId = (org: string, tokenId: number): string =>
  `github:fine-grained-pat-token:${org}/${tokenId}`;
/** Identity id of a pending request of a fine-grained PAT for access to an organization. */
export const patRequestId = (org: string, requestId: number): string =>
  `github:fine-grained-pat-request:${org}/${requestId}`;
/** Identity id of a credential a member authorized for SAML SSO (`classic-pat`, `ssh-key`, …). */
export const samlCredentialId = (kind: string, org: string, credentialId: number): string =>
  `github:${kind}:${org}/${credentialId}`;
/** Identity id of a repository's deploy key. */
export const deployKeyId = (org: string, repo: string, keyId: number): string =>
  `github:deploy-key:${org}/${repo}/${keyId}`;
/** Credential id of a deploy key's SSH key. */
export const deployKeyCredentialId = (org: string, repo: string, keyId: number): string =>
  `github:ssh-deploy-key:${org}/${repo}/${keyId}`;
/** Identity id of an Actions secret: org level (`org/NAME`), repository (`org/repo/NAME`) or environment. */
export const actionsSecretId = (org: string, name: string, repo?: string, environment?: string): string =>
  `github:actions-secret:${org}/${repo ? `${repo}/` : ''}${environment ? `environments/${environment}/` : ''}${name}`;
/** Identity id of a webhook of an organization or of a repository. */
export const webhookId = (org: string, hookId: number, repo?: string): string =>
  `github:webhook:${org}/${repo ? `${repo}/` : ''}${hookId}`;
/** Identity id of one job of a workflow: the job's GITHUB_TOKEN. */
export const workflowJobId = (org: string, repo: string, path: string, job: string): string =>
  `github:github-workflow:${org}/${repo}/${path}#${job}`;
/** Identity id of an outside collaborator of an organization (a person, kept for the repositories they hold). */
export const outsideCollaboratorId = (org: string, login: string): string =>
  `github:outside-collaborator:${org}/${login.toLowerCase()}`;
/** Resource id of a repository (not an identity: kept for its visibility and who outside may write to it). */
export const repositoryId = (org: string, repo: string): string => `github:repository:${org}/${repo}`;
