# The jq baseline of the benchmark: agentaudit's usage figures from CloudTrail deliveries piped in by zcat.
# Per (identity, access key, eventSource, eventName): count, first and last eventTime; events counted once by eventID.
# Identities and keys are attributed as agentaudit does (src/usage/cloudtrail/principal.ts): sessions belong to their
# role, a long-term AKIA key is the credential, anything else is aws:principal:<type>:<arn|invokedBy|account>.
# Usage: zcat files… | jq -n -c -f usage.jq

def text: if type == "string" and length > 0 then . else null end;

def role_of_session_arn:
  capture("^arn:(?<partition>aws[a-z-]*):(?<service>iam|sts)::(?<account>[0-9]{12}):(?<resource>.+)$") as $m
  | if $m.service == "iam" and ($m.resource | startswith("role/")) then "aws:iam-role:" + .
    elif $m.service == "sts" and ($m.resource | startswith("assumed-role/")) then
      ($m.resource | split("/")[1]) as $name
      | if ($name // "") != "" then "aws:iam-role:arn:" + $m.partition + ":iam::" + $m.account + ":role/" + $name
        else null end
    else null end;

def attribution:
  (if (.userIdentity | type) == "object" then .userIdentity else {} end) as $u
  | ($u.type | text // "Unknown") as $type
  | ($u.arn | text) as $arn
  | ($u.accessKeyId | text) as $keyId
  | (if $keyId != null and ($keyId | startswith("AKIA")) and ($keyId | test("^AKIA[A-Z0-9]{12,124}$"))
     then "aws:access-key:" + $keyId else null end) as $credential
  | ($u.accountId | text
     // (if $arn != null then ($arn | capture("^arn:[a-z-]+:(iam|sts)::(?<a>[0-9]{12}):").a? // null) else null end))
    as $account
  | if $type == "IAMUser" and $arn != null then ["aws:iam-user:" + $arn, $credential]
    elif $type == "Root" and $account != null then ["aws:root:arn:aws:iam::" + $account + ":root", $credential]
    elif $type == "AssumedRole"
      and (($u.sessionContext.sessionIssuer.arn? | text // "" | contains(":role/"))
           or ($arn != null and ($arn | role_of_session_arn) != null))
    then
      (($u.sessionContext.sessionIssuer.arn? | text) as $issuer
       | if $issuer != null and ($issuer | contains(":role/")) then "aws:iam-role:" + $issuer
         else $arn | role_of_session_arn end) as $role
      | [$role, null]
    else ["aws:principal:" + $type + ":" + ($arn // ($u.invokedBy | text) // $account // "unknown"), null]
    end;

# The facts of each event are computed in the generator of `reduce`, never against the accumulator: jq 1.6 copies the
# accumulator when it is updated while a reference to it is still held — by a nested path (`.a[$k] = …`), by `+=` and
# `|=`, or by a backtracking point such as `//` — which turns the reduction quadratic. One flat object updated with
# plain `=` stays linear. Keys: "#<eventID>" for events seen, "=<identity>\t<key>\t<eventSource>\t<eventName>" for rows.
def facts:
  (.eventID | text) as $id
  | attribution as $who
  | [ (if $id == null then null else "#" + $id end),
      "=" + $who[0] + "\t" + ($who[1] // "") + "\t" + (.eventSource | text // "") + "\t" + (.eventName | text // ""),
      .eventTime ];

reduce (inputs | .Records[] | facts) as [$id, $key, $time] ({events: 0, duplicates: 0};
  if $id != null and .[$id] then .duplicates = (.duplicates + 1)
  else
    (if $id == null then . else .[$id] = true end)
    | .events = (.events + 1)
    | .[$key] as $row
    | .[$key] = (if $row == null then {count: 1, first: $time, last: $time}
        else {count: ($row.count + 1),
              first: (if $time < $row.first then $time else $row.first end),
              last: (if $time > $row.last then $time else $row.last end)}
        end)
  end)
| {events, duplicates, rows: with_entries(select(.key | startswith("=")) | .key |= .[1:])}
