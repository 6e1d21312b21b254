#!/usr/bin/env bash
# The real AWS CLI against a real `berth server`: create a cluster, register a realistic
# multi-container task definition from a file, read it back unchanged, list it, and check that
# bad requests fail with a non-zero exit and the ECS error, and that calls for other AWS
# services fail with an error the CLI can read.
#
# Usage: tests/aws-cli.sh   (BERTH=path/to/berth and AWS=path/to/aws override the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."

BERTH=${BERTH:-target/debug/berth}
if [ -z "${AWS:-}" ]; then
  if [ -x .venv-test/bin/aws ]; then AWS=.venv-test/bin/aws; else AWS=aws; fi
fi
PYTHON=python3
[ -x .venv-test/bin/python ] && PYTHON=.venv-test/bin/python
FIXTURE=crates/berth/tests/fixtures/webapp-taskdef.json

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# One administrator with a known key; throttling off so the script's burst is never refused.
cat >"$work/auth.toml" <<'TOML'
[[users]]
name = "admin"
managed-policies = ["AdministratorAccess"]
[[users.keys]]
access-key-id = "AKIDCLITEST"
secret-access-key = "cli-test-secret"

[[users]]
name = "dev"
policies = ['{"Statement": {"Effect": "Allow", "Action": "ecs:*", "Resource": "arn:aws:ecs:*:*:cluster/dev-*"}}']
[[users.keys]]
access-key-id = "AKIDCLIDEV"
secret-access-key = "cli-dev-secret"

[throttle]
enabled = false
TOML

# The VPC with one configured subnet, so that EC2's describe calls have one to show without
# an agent reporting its zone.
cat >"$work/berth.toml" <<'TOML'
[[vpc.subnets]]
zone = "us-east-1a"
cidr = "172.31.32.0/20"
TOML

mkfifo "$work/out"
"$BERTH" server --data-dir "$work/data" --config "$work/berth.toml" --auth-config "$work/auth.toml" --listen 127.0.0.1:0 >"$work/out" 2>"$work/server.log" &
server_pid=$!
read -r first_line <"$work/out"
endpoint=${first_line#Listening on }
case "$endpoint" in http://127.0.0.1:*) ;; *) echo "unexpected server output: $first_line"; exit 1;; esac

export AWS_ACCESS_KEY_ID=AKIDCLITEST AWS_SECRET_ACCESS_KEY=cli-test-secret AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL_ECS=$endpoint
unset AWS_PROFILE AWS_SESSION_TOKEN

fail() { echo "FAIL: $*"; exit 1; }
pass() { echo "ok - $*"; }

out=$("$AWS" ecs create-cluster --cluster-name cli-test --output json)
[ "$($PYTHON -c 'import json,sys; print(json.load(sys.stdin)["cluster"]["clusterName"])' <<<"$out")" = cli-test ] || fail "create-cluster: $out"
pass "create-cluster"

"$AWS" ecs register-task-definition --cli-input-json "file://$FIXTURE" --output json >"$work/registered.json"
pass "register-task-definition --cli-input-json"

"$AWS" ecs describe-task-definition --task-definition webapp --include TAGS --output json >"$work/described.json"
$PYTHON - "$FIXTURE" "$work/described.json" <<'PY' || fail "describe-task-definition changed the definition"
import json, sys
given = json.load(open(sys.argv[1]))
described = json.load(open(sys.argv[2]))
tags = given.pop("tags")

def check(want, got, path):
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{path}: expected an object, got {got!r}"
        for key, value in want.items():
            assert key in got, f"{path}.{key} is missing"
            check(value, got[key], f"{path}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(want) == len(got), f"{path}: {got!r} differs from {want!r}"
        for i, (a, b) in enumerate(zip(want, got)):
            check(a, b, f"{path}[{i}]")
    else:
        assert want == got, f"{path}: {got!r} != {want!r}"

td = described["taskDefinition"]
check(given, td, "taskDefinition")
assert described["tags"] == tags, described["tags"]
assert td["revision"] == 1 and td["status"] == "ACTIVE", td
assert td["taskDefinitionArn"].endswith(":task-definition/webapp:1"), td["taskDefinitionArn"]
PY
pass "describe-task-definition returns every field unchanged"

arns=$("$AWS" ecs list-task-definitions --output text --query 'taskDefinitionArns[]')
[[ "$arns" == *"task-definition/webapp:1"* ]] || fail "list-task-definitions: $arns"
pass "list-task-definitions"

# A definition without memory: the CLI exits non-zero and shows the ECS error.
if "$AWS" ecs register-task-definition --family bad --container-definitions '[{"name":"a","image":"busybox"}]' 2>"$work/err"; then
  fail "a definition without memory was accepted"
fi
grep -q "ClientException" "$work/err" || fail "expected ClientException, got: $(cat "$work/err")"
grep -q "memory" "$work/err" || fail "the message should name memory: $(cat "$work/err")"
pass "a bad task definition fails with ClientException"

if "$AWS" ecs delete-cluster --cluster no-such-cluster 2>"$work/err"; then
  fail "deleting a missing cluster succeeded"
fi
grep -q "ClusterNotFoundException" "$work/err" || fail "expected ClusterNotFoundException: $(cat "$work/err")"
pass "delete-cluster of a missing cluster fails with ClusterNotFoundException"

missing=$("$AWS" ecs describe-clusters --clusters no-such-cluster --output text --query 'failures[0].reason')
[ "$missing" = MISSING ] || fail "describe-clusters failure reason: $missing"
pass "describe-clusters reports MISSING"

families=$("$AWS" ecs list-task-definition-families --output text --query 'families[]')
[ "$families" = webapp ] || fail "families: $families (the refused definition must not create a family)"
pass "a refused definition leaves nothing behind"

# Access control through the CLI's own signing.
if AWS_SECRET_ACCESS_KEY=not-the-secret "$AWS" ecs list-clusters 2>"$work/err"; then
  fail "a request signed with the wrong secret was accepted"
fi
grep -q "InvalidSignatureException" "$work/err" || fail "expected InvalidSignatureException: $(cat "$work/err")"
pass "a wrong secret fails with InvalidSignatureException"

if AWS_ACCESS_KEY_ID=AKIDNOBODY "$AWS" ecs list-clusters 2>"$work/err"; then
  fail "an unknown access key was accepted"
fi
grep -q "UnrecognizedClientException" "$work/err" || fail "expected UnrecognizedClientException: $(cat "$work/err")"
pass "an unknown access key fails with UnrecognizedClientException"

as_dev() { AWS_ACCESS_KEY_ID=AKIDCLIDEV AWS_SECRET_ACCESS_KEY=cli-dev-secret "$AWS" "$@"; }
as_dev ecs create-cluster --cluster-name dev-cli --output json >/dev/null || fail "the dev user may create dev-cli"
pass "a user limited to cluster/dev-* creates dev-cli"
if as_dev ecs create-cluster --cluster-name prod-cli 2>"$work/err"; then
  fail "the dev user created prod-cli"
fi
grep -q "AccessDeniedException" "$work/err" || fail "expected AccessDeniedException: $(cat "$work/err")"
grep -q "user/dev" "$work/err" || fail "the message should name the user: $(cat "$work/err")"
clusters=$("$AWS" ecs list-clusters --output text --query 'clusterArns[]')
[[ "$clusters" != *"cluster/prod-cli"* ]] || fail "a denied create-cluster left a cluster behind: $clusters"
pass "the same user is denied prod-cli (AccessDeniedException) and nothing is created"

# Services Berth does not serve answer in their own protocol, so the CLI shows the AWS error
# (query XML for classic elb, JSON for logs, CBOR for newer cloudwatch clients), never
# "invalid XML" or an unparsable body.
other_service() {
  local expected=$1; shift
  local code=0
  "$AWS" "$@" --endpoint-url "$endpoint" 2>"$work/err" >/dev/null || code=$?
  [ "$code" = 254 ] || [ "$code" = 255 ] || fail "aws $*: exit code $code: $(cat "$work/err")"
  grep -q "An error occurred ($expected)" "$work/err" || fail "aws $*: expected $expected: $(cat "$work/err")"
  if grep -qi "invalid xml\|unable to parse" "$work/err"; then fail "aws $*: $(cat "$work/err")"; fi
  pass "aws $* fails with $expected"
}
other_service InvalidAction elb describe-load-balancers
other_service InvalidAction ec2 describe-instances
other_service UnknownOperationException logs describe-log-groups
other_service UnknownOperationException cloudwatch list-metrics

# The EC2 calls that describe the VPC of awsvpc tasks and manage its security groups.
ec2() { "$AWS" ec2 --endpoint-url "$endpoint" "$@"; }
vpc=$(ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[0].VpcId' --output text)
[[ "$vpc" == vpc-* ]] || fail "describe-vpcs: $vpc"
subnet=$(ec2 describe-subnets --filters "Name=vpc-id,Values=$vpc" Name=availability-zone,Values=us-east-1a \
  --query 'Subnets[0].[SubnetId,CidrBlock]' --output text)
[[ "$subnet" == subnet-*"	172.31.32.0/20" ]] || fail "describe-subnets: $subnet"
subnet=${subnet%%	*}
none=$(ec2 describe-subnets --filters Name=availability-zone,Values=us-west-2a --query 'length(Subnets)')
[ "$none" = 0 ] || fail "a filter for another zone listed $none subnets"
pass "ec2 describe-vpcs and describe-subnets (filtered by vpc-id and availability-zone)"

sg=$(ec2 create-security-group --group-name cli-web --description "CLI test" --vpc-id "$vpc" --query GroupId --output text)
[[ "$sg" == sg-* ]] || fail "create-security-group: $sg"
ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port 8080 --cidr 10.1.0.0/16 >/dev/null
rules=$(ec2 describe-security-groups --group-ids "$sg" \
  --query 'SecurityGroups[0].IpPermissions[0].[IpProtocol,FromPort,ToPort,IpRanges[0].CidrIp]' --output text)
[ "$rules" = "tcp	8080	8080	10.1.0.0/16" ] || fail "describe-security-groups: $rules"
if ec2 authorize-security-group-ingress --group-id "$sg" --protocol tcp --port 8080 --cidr 10.1.0.0/16 2>"$work/err"; then
  fail "a duplicate rule was accepted"
fi
grep -q "InvalidPermission.Duplicate" "$work/err" || fail "expected InvalidPermission.Duplicate: $(cat "$work/err")"
ec2 revoke-security-group-ingress --group-id "$sg" --protocol tcp --port 8080 --cidr 10.1.0.0/16 >/dev/null
left=$(ec2 describe-security-groups --group-ids "$sg" --query 'length(SecurityGroups[0].IpPermissions)')
[ "$left" = 0 ] || fail "a revoked rule is still there"
pass "ec2 create-security-group, authorize/revoke-security-group-ingress, describe-security-groups"

# The ids work in ECS calls: an awsvpc service in the subnet with the group (no agent runs
# here, so it only has to be accepted and keep its configuration).
"$AWS" ecs register-task-definition --family cli-vpc --network-mode awsvpc \
  --container-definitions '[{"name":"app","image":"busybox","memory":64}]' >/dev/null
"$AWS" ecs create-service --cluster cli-test --service-name cli-vpc --task-definition cli-vpc \
  --desired-count 1 --network-configuration "awsvpcConfiguration={subnets=[$subnet],securityGroups=[$sg]}" >/dev/null
kept=$("$AWS" ecs describe-services --cluster cli-test --services cli-vpc \
  --query 'services[0].networkConfiguration.awsvpcConfiguration.[subnets[0],securityGroups[0]]' --output text)
[ "$kept" = "$subnet	$sg" ] || fail "the service's network configuration: $kept"
if "$AWS" ecs create-service --cluster cli-test --service-name cli-vpc2 --task-definition cli-vpc \
  --desired-count 1 --network-configuration "awsvpcConfiguration={subnets=[subnet-0123456789abcdef0]}" 2>"$work/err"; then
  fail "a service in an unknown subnet was created"
fi
grep -q "InvalidParameterException" "$work/err" || fail "expected InvalidParameterException: $(cat "$work/err")"
if ec2 delete-security-group --group-id "$sg" 2>"$work/err"; then
  fail "a group a service uses was deleted"
fi
grep -q "DependencyViolation" "$work/err" || fail "expected DependencyViolation: $(cat "$work/err")"
pass "ecs create-service --network-configuration takes the subnet and group ids; a group in use is not deleted"

# Fargate through the CLI: the cluster's providers and default strategy, a Fargate definition,
# and a task that finds no pool host (none runs here) failing as Fargate reports it.
"$AWS" ecs put-cluster-capacity-providers --cluster cli-test --capacity-providers FARGATE FARGATE_SPOT \
  --default-capacity-provider-strategy capacityProvider=FARGATE_SPOT,weight=1 >/dev/null
"$AWS" ecs register-task-definition --family cli-fargate --requires-compatibilities FARGATE \
  --network-mode awsvpc --cpu 256 --memory 512 \
  --container-definitions '[{"name":"app","image":"busybox"}]' >/dev/null
reason=$("$AWS" ecs run-task --cluster cli-test --task-definition cli-fargate \
  --network-configuration "awsvpcConfiguration={subnets=[$subnet]}" --query 'failures[0].reason' --output text)
[[ "$reason" == "Capacity is unavailable at this time."* ]] || fail "run-task on an empty pool: $reason"
if "$AWS" ecs run-task --cluster cli-test --task-definition cli-fargate --launch-type FARGATE \
  --capacity-provider-strategy capacityProvider=FARGATE,weight=1 \
  --network-configuration "awsvpcConfiguration={subnets=[$subnet]}" 2>"$work/err"; then
  fail "a launch type and a strategy were both accepted"
fi
grep -q "Specifying both a launch type and capacity provider strategy" "$work/err" \
  || fail "expected ECS's refusal: $(cat "$work/err")"
pass "ecs put-cluster-capacity-providers; a Fargate run-task with the cluster's default strategy"

if as_dev ec2 describe-subnets --endpoint-url "$endpoint" 2>"$work/err"; then
  fail "a user without ec2 actions described subnets"
fi
grep -q "UnauthorizedOperation" "$work/err" || fail "expected UnauthorizedOperation: $(cat "$work/err")"
pass "ec2 actions are authorized like ECS's (UnauthorizedOperation)"

# Elastic Load Balancing v2 in its own protocol: what a user makes with `aws elbv2`, and ELB's
# error codes for what is wrong, with nothing written.
elb() { "$AWS" elbv2 --endpoint-url "$endpoint" "$@"; }
elb_fails() {
  local expected=$1; shift
  if elb "$@" 2>"$work/err" >/dev/null; then fail "aws elbv2 $* succeeded"; fi
  grep -q "An error occurred ($expected)" "$work/err" || fail "aws elbv2 $*: expected $expected: $(cat "$work/err")"
}
tg=$(elb create-target-group --name cli-web --protocol HTTP --port 80 --vpc-id "$vpc" --target-type ip \
  --health-check-path /health --matcher HttpCode=200-299 --query 'TargetGroups[0].TargetGroupArn' --output text)
[[ "$tg" == arn:aws:elasticloadbalancing:*:targetgroup/cli-web/* ]] || fail "create-target-group: $tg"
again=$(elb create-target-group --name cli-web --protocol HTTP --port 80 --vpc-id "$vpc" --target-type ip \
  --health-check-path /health --matcher HttpCode=200-299 --query 'TargetGroups[0].TargetGroupArn' --output text)
[ "$again" = "$tg" ] || fail "create-target-group with the same settings returns the same group: $again"
elb_fails DuplicateTargetGroupName create-target-group --name cli-web --protocol HTTP --port 81 --vpc-id "$vpc"
elb_fails InvalidConfigurationRequest create-target-group --name cli-bad --protocol HTTP --port 80 --vpc-id "$vpc" \
  --health-check-interval-seconds 5 --health-check-timeout-seconds 5
elb_fails TargetGroupNotFound describe-target-groups --names cli-bad
elb_fails ValidationError create-target-group --name cli-bad --protocol HTTP --port 80 --vpc-id vpc-0000000000000000
lb=$(elb create-load-balancer --name cli-web --scheme internal --subnets "$subnet" \
  --query 'LoadBalancers[0].LoadBalancerArn' --output text)
state=$(elb describe-load-balancers --names cli-web --query 'LoadBalancers[0].[State.Code,Scheme,Type]' --output text)
[ "$state" = "active	internal	application" ] || fail "describe-load-balancers: $state"
elb_fails LoadBalancerNotFound describe-load-balancers --names cli-missing
elb_fails ValidationError create-load-balancer --name=bad-
elb_fails SubnetNotFound create-load-balancer --name cli-other --subnets subnet-0123456789abcdef0
listener=$(elb create-listener --load-balancer-arn "$lb" --protocol HTTP --port 18480 \
  --default-actions Type=forward,TargetGroupArn="$tg" --query 'Listeners[0].ListenerArn' --output text)
elb_fails DuplicateListener create-listener --load-balancer-arn "$lb" --protocol HTTP --port 18480 \
  --default-actions Type=fixed-response,FixedResponseConfig="{StatusCode=404}"
elb_fails UnsupportedProtocol create-listener --load-balancer-arn "$lb" --protocol TCP --port 18481 \
  --default-actions Type=forward,TargetGroupArn="$tg"
elb_fails CertificateNotFound create-listener --load-balancer-arn "$lb" --protocol HTTPS --port 18482 \
  --certificates CertificateArn=arn:aws:acm:us-east-1:000000000000:certificate/none \
  --default-actions Type=forward,TargetGroupArn="$tg"
listeners=$(elb describe-listeners --load-balancer-arn "$lb" --query 'length(Listeners)')
[ "$listeners" = 1 ] || fail "refused listeners were created: $listeners"
pass "elbv2 create-target-group, create-load-balancer, create-listener; duplicates and bad settings refused, nothing written"

rule=$(elb create-rule --listener-arn "$listener" --priority 10 --conditions Field=path-pattern,Values='/api/*' \
  --actions Type=fixed-response,FixedResponseConfig="{StatusCode=418,ContentType=text/plain,MessageBody=teapot}" \
  --query 'Rules[0].RuleArn' --output text)
elb_fails PriorityInUse create-rule --listener-arn "$listener" --priority 10 \
  --conditions Field=host-header,Values=example.com --actions Type=forward,TargetGroupArn="$tg"
rules=$(elb describe-rules --listener-arn "$listener" --query 'Rules[].[Priority,IsDefault]' --output text | tr '\n\t' ' ')
[ "$rules" = "10 False default True " ] || fail "describe-rules: $rules"
elb set-rule-priorities --rule-priorities RuleArn="$rule",Priority=5 >/dev/null
moved=$(elb describe-rules --rule-arns "$rule" --query 'Rules[0].Priority' --output text)
[ "$moved" = 5 ] || fail "set-rule-priorities: $moved"
default=$(elb describe-rules --listener-arn "$listener" --query 'Rules[?IsDefault].RuleArn' --output text)
elb_fails OperationNotPermitted delete-rule --rule-arn "$default"
elb_fails ResourceInUse delete-target-group --target-group-arn "$tg"
pass "elbv2 rules: create-rule, describe-rules with the default rule, set-rule-priorities; the default rule and a used group stay"

elb register-targets --target-group-arn "$tg" --targets Id=172.31.32.10,Port=8080 >/dev/null
elb_fails InvalidTarget register-targets --target-group-arn "$tg" --targets Id=192.0.2.1
health=$(elb describe-target-health --target-group-arn "$tg" --targets Id=172.31.32.10,Port=8080 Id=172.31.32.11,Port=8080 \
  --query 'TargetHealthDescriptions[].TargetHealth.[State,Reason]' --output text | tr '\n\t' ' ')
[ "$health" = "initial Elb.RegistrationInProgress unused Target.NotRegistered " ] || fail "describe-target-health: $health"
elb modify-target-group-attributes --target-group-arn "$tg" \
  --attributes Key=deregistration_delay.timeout_seconds,Value=0 Key=load_balancing.algorithm.type,Value=least_outstanding_requests >/dev/null
elb_fails InvalidConfigurationRequest modify-target-group-attributes --target-group-arn "$tg" --attributes Key=no.such,Value=1
delay=$(elb describe-target-group-attributes --target-group-arn "$tg" \
  --query "Attributes[?Key=='deregistration_delay.timeout_seconds'].Value" --output text)
[ "$delay" = 0 ] || fail "the deregistration delay: $delay"
elb deregister-targets --target-group-arn "$tg" --targets Id=172.31.32.10,Port=8080 >/dev/null
left=$(elb describe-target-health --target-group-arn "$tg" --query 'length(TargetHealthDescriptions)')
[ "$left" = 0 ] || fail "a target deregistered without delay is gone: $left"
pass "elbv2 register-targets, describe-target-health (ELB's states and reasons), target group attributes, deregister-targets"

elb add-tags --resource-arns "$lb" "$tg" --tags Key=team,Value=web >/dev/null
tags=$(elb describe-tags --resource-arns "$lb" "$tg" --query 'TagDescriptions[].Tags[0].Value' --output text)
[ "$tags" = "web	web" ] || fail "describe-tags: $tags"
elb remove-tags --resource-arns "$lb" --tag-keys team >/dev/null
elb_fails LoadBalancerNotFound add-tags --resource-arns "${lb%/*}/0000000000000000" --tags Key=a,Value=b
limits=$(elb describe-account-limits --query "Limits[?Name=='target-groups'].Max" --output text)
[ "$limits" = 3000 ] || fail "describe-account-limits: $limits"
if as_dev elbv2 describe-load-balancers --endpoint-url "$endpoint" 2>"$work/err"; then
  fail "a user without elasticloadbalancing actions described load balancers"
fi
grep -q "AccessDenied" "$work/err" || fail "expected AccessDenied: $(cat "$work/err")"
# An HTTPS listener with a certificate imported through ACM.
acm() { "$AWS" acm --endpoint-url "$endpoint" "$@"; }
cert=$(acm import-certificate --certificate fileb://crates/lb/tests/data/cert.pem \
  --private-key fileb://crates/lb/tests/data/key.pem --certificate-chain fileb://crates/lb/tests/data/ca.pem \
  --query CertificateArn --output text)
[[ "$cert" == arn:aws:acm:*:certificate/* ]] || fail "import-certificate: $cert"
described=$(acm describe-certificate --certificate-arn "$cert" --query 'Certificate.[DomainName,Status,Type]' --output text)
[ "$described" = "localhost	ISSUED	IMPORTED" ] || fail "describe-certificate: $described"
if acm import-certificate --certificate fileb://crates/lb/tests/data/cert.pem \
  --private-key fileb://crates/server/tests/data/acm/other-key.pem 2>"$work/err" >/dev/null; then
  fail "a certificate with a key that does not match it was imported"
fi
grep -q "ValidationException" "$work/err" || fail "expected ValidationException: $(cat "$work/err")"
[ "$(acm list-certificates --includes keyTypes=EC_prime256v1 --query 'length(CertificateSummaryList)')" = 1 ] || fail "a refused import was stored"
https=$(elb create-listener --load-balancer-arn "$lb" --protocol HTTPS --port 18483 --certificates CertificateArn="$cert" \
  --default-actions Type=fixed-response,FixedResponseConfig="{StatusCode=200}" --query 'Listeners[0].[Protocol,SslPolicy]' --output text)
[ "$https" = "HTTPS	ELBSecurityPolicy-TLS13-1-2-2021-06" ] || fail "create-listener HTTPS: $https"
if acm delete-certificate --certificate-arn "$cert" 2>"$work/err"; then fail "a certificate in use was deleted"; fi
grep -q "ResourceInUseException" "$work/err" || fail "expected ResourceInUseException: $(cat "$work/err")"
pass "acm import-certificate, describe-certificate, list-certificates; an HTTPS listener uses it; in use, it stays"

elb delete-listener --listener-arn "$listener" >/dev/null
elb delete-load-balancer --load-balancer-arn "$lb" >/dev/null
acm delete-certificate --certificate-arn "$cert" >/dev/null
elb delete-target-group --target-group-arn "$tg" >/dev/null
gone=$(elb describe-load-balancers --query 'length(LoadBalancers)')
[ "$gone" = 0 ] || fail "load balancers left: $gone"
pass "elbv2 tags, account limits, policies (AccessDenied), deletes"

echo "aws-cli: all checks passed"
