// Granted vs used for one identity as triage shows it, read from the right-sizing service's result in one place.
import type { Grant } from '../model/types.js';
import type { RightsizeResult } from '../analysis/rightsize.js';
import { describeWindow } from '../rightsize/render.js';

/** What the pane needs; built from the right-sizing service's result and the identity's grants as written. */
export interface GrantedVsUsed {
  identity: { id: string; name: string; kind: string; arn: string | null };
  scanId: number;
  granted: number;
  used: { action: string; count: number; lastSeen: string }[];
  usedShare: number;
  unused: { count: number; services: { service: string; unused: number; granted: number; whole: boolean }[] };
  usedNotGranted: string[];
  window: string;
  grantsAsWritten: Grant[];
  policyJson: string;
  caveats: string[];
}

/** Reads the right-sizing result (only here, so a change of its shape touches one function). */
export function grantedVsUsedFrom(result: RightsizeResult, grants: readonly Grant[]): GrantedVsUsed {
  return {
    identity: {
      id: result.identity.id,
      name: result.identity.name,
      kind: result.identity.kind,
      arn: result.identity.arn,
    },
    scanId: result.scan.id,
    granted: result.granted.count,
    used: result.used.actions.map((a) => ({ action: a.action, count: a.count, lastSeen: a.lastSeen })),
    usedShare: result.usedShare,
    unused: {
      count: result.unused.count,
      services: result.unused.services.map((s) => ({
        service: s.service,
        unused: s.unused,
        granted: s.granted,
        whole: s.wholeService,
      })),
    },
    usedNotGranted: result.usedNotGranted,
    window: describeWindow(result),
    grantsAsWritten: [...grants],
    policyJson: JSON.stringify(result.policy, null, 2),
    caveats: result.caveats,
  };
}
