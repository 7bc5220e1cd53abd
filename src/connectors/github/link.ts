// The GitHub OIDC ↔ AWS join: each workflow job that assumes an AWS role through OIDC gets a `can-assume` edge to
// that role's identity, so a rule can read the role's trust policy beside the workflow that uses it. Pure.
import { awsRoleId } from '../../model/ids.js';
import type { Edge, Identity, Inventory, JsonObject } from '../../model/types.js';

interface RoleUse {
  roleArn: string | null;
  step: number;
  region: string | null;
}

/** `arn:aws:iam::123:role/path/name` → `123` and `name` (the role name is the last path segment). */
function accountAndName(arn: string): { account: string; name: string } | null {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match ? { account: match[1]!, name: match[2]! } : null;
}

/**
 * Adds a `can-assume` edge from every workflow job of `org` that assumes an AWS role with GitHub's OIDC token to
 * the role: by exact ARN when the AWS inventory has it, else by account and role name (a workflow may omit the
 * role's path). Roles the inventory does not hold still get an edge, to `aws:iam-role:<ARN as written>`, with
 * `role_in_inventory: false` in its evidence.
 */
export function linkWorkflowsToAwsRoles(org: string): (inventory: Inventory) => Inventory {
  return (inventory) => {
    const roles = inventory.identities.filter((i) => i.provider === 'aws' && i.kind === 'iam-role' && i.arn);
    const byArn = new Map(roles.map((role) => [role.arn!, role]));
    const byName = new Map<string, Identity[]>();
    for (const role of roles) {
      const parts = accountAndName(role.arn!);
      if (!parts) continue;
      const key = `${parts.account}/${parts.name}`;
      byName.set(key, [...(byName.get(key) ?? []), role]);
    }
    const edges: Edge[] = [];
    for (const workflow of inventory.identities) {
      if (workflow.provider !== 'github' || workflow.kind !== 'github-workflow' || workflow.account !== org)
        continue;
      const uses = (workflow.attributes['oidc_roles'] as unknown as RoleUse[] | undefined) ?? [];
      for (const use of uses) {
        if (!use.roleArn) continue;
        const parts = accountAndName(use.roleArn);
        const candidates = parts ? (byName.get(`${parts.account}/${parts.name}`) ?? []) : [];
        const exact = byArn.get(use.roleArn);
        const role = exact ?? (candidates.length === 1 ? candidates[0]! : null);
        const evidence: JsonObject = {
          via: 'github-oidc',
          action: 'aws-actions/configure-aws-credentials',
          role_to_assume: use.roleArn,
          step: use.step + 1,
          region: use.region,
          repository: workflow.attributes['repository'] ?? null,
          workflow: workflow.attributes['workflow_path'] ?? null,
          job: workflow.attributes['job'] ?? null,
          subjects: workflow.attributes['oidc_subjects'] ?? [],
          id_token_write: workflow.attributes['id_token_write'] ?? false,
          role_in_inventory: role !== null,
          matched_by: exact ? 'arn' : role ? 'account and role name' : null,
        };
        edges.push({
          from: workflow.id,
          to: role ? role.id : awsRoleId(use.roleArn),
          kind: 'can-assume',
          evidence,
        });
      }
    }
    return edges.length === 0 ? inventory : { ...inventory, edges: [...inventory.edges, ...edges] };
  };
}
