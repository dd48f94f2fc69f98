#!/usr/bin/env bash
# Applies vanthu's bucket settings to a MinIO deployment with `mc`. Safe to re-run: every step either
# creates or updates. Run it with an admin alias (see ../README.md); the service itself never gets
# these rights.
#
#   ALIAS               mc alias of the deployment (required; `mc alias set` it first)
#   BUCKET              bucket name, as S3_BUCKET in the service (default: vanthu)
#   REGION              region the bucket is created in, as S3_REGION (default: us-east-1)
#   SERVICE_USER        access key of the service account, as S3_ACCESS_KEY (default: vanthu-service)
#   SERVICE_SECRET      its secret key, as S3_SECRET_KEY (required, never printed)
#   RETENTION_MODE      GOVERNANCE (default) or COMPLIANCE: see the README before choosing COMPLIANCE
#   RETENTION_VALIDITY  default retention of every blob, e.g. 10y or 365d (required: a records decision)
#   STALE_UPLOADS_EXPIRY  how long MinIO keeps unfinished multipart uploads (default: 24h)
set -euo pipefail

die() {
  echo "apply.sh: $*" >&2
  exit 1
}

ALIAS="${ALIAS:?set ALIAS to an mc alias (mc alias set ALIAS URL ADMIN_KEY ADMIN_SECRET)}"
BUCKET="${BUCKET:-vanthu}"
REGION="${REGION:-us-east-1}"
SERVICE_USER="${SERVICE_USER:-vanthu-service}"
SERVICE_SECRET="${SERVICE_SECRET:?set SERVICE_SECRET (read -rs SERVICE_SECRET; export SERVICE_SECRET)}"
RETENTION_MODE="${RETENTION_MODE:-GOVERNANCE}"
RETENTION_VALIDITY="${RETENTION_VALIDITY:?set RETENTION_VALIDITY from the records retention schedule, e.g. 10y}"
STALE_UPLOADS_EXPIRY="${STALE_UPLOADS_EXPIRY:-24h}"
POLICY_NAME="${BUCKET}-service"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

[[ "$BUCKET" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "not a valid bucket name: $BUCKET"
[[ "$RETENTION_MODE" == GOVERNANCE || "$RETENTION_MODE" == COMPLIANCE ]] ||
  die "RETENTION_MODE must be GOVERNANCE or COMPLIANCE, not $RETENTION_MODE"
[[ "$RETENTION_VALIDITY" =~ ^[1-9][0-9]*[dy]$ ]] || die "RETENTION_VALIDITY must look like 30d or 10y"
command -v mc >/dev/null || die "mc (MinIO client) is not on PATH"

# Fail before changing anything if the alias or its admin credentials are wrong.
mc admin info "$ALIAS" >/dev/null || die "cannot reach $ALIAS as an admin"

echo "== bucket $ALIAS/$BUCKET (object lock; implies versioning)"
# Object lock can only be chosen when a bucket is created; an existing unlocked bucket fails below.
mc mb --ignore-existing --with-lock --region "$REGION" "$ALIAS/$BUCKET"
mc version enable "$ALIAS/$BUCKET"

echo "== default retention $RETENTION_MODE $RETENTION_VALIDITY"
mc retention set --default "$RETENTION_MODE" "$RETENTION_VALIDITY" "$ALIAS/$BUCKET" ||
  die "could not set default retention; if $BUCKET existed without object lock, it must be recreated with --with-lock and its objects copied over"

echo "== lifecycle (noncurrent versions, lone delete markers)"
mc ilm rule import "$ALIAS/$BUCKET" <"$HERE/bucket-lifecycle.json"

echo "== unfinished multipart uploads expire after $STALE_UPLOADS_EXPIRY (server-wide; MinIO ignores the ILM rule)"
mc admin config set "$ALIAS" api stale_uploads_expiry="$STALE_UPLOADS_EXPIRY"

echo "== policy $POLICY_NAME and service account $SERVICE_USER"
policy_file="$(mktemp)"
trap 'rm -f "$policy_file"' EXIT
# The policy file names the default bucket; point it at the one being configured.
sed "s/arn:aws:s3:::vanthu\\([\"/]\\)/arn:aws:s3:::${BUCKET}\\1/g" "$HERE/service-account-policy.json" >"$policy_file"
mc admin policy create "$ALIAS" "$POLICY_NAME" "$policy_file"
mc admin user add "$ALIAS" "$SERVICE_USER" "$SERVICE_SECRET" >/dev/null
# Attaching an already attached policy is an error in mc; treat that case as done.
if ! mc admin user info "$ALIAS" "$SERVICE_USER" | grep -qw -- "$POLICY_NAME"; then
  mc admin policy attach "$ALIAS" "$POLICY_NAME" --user "$SERVICE_USER"
fi

echo "== result"
mc version info "$ALIAS/$BUCKET"
mc retention info --default "$ALIAS/$BUCKET"
mc ilm rule ls "$ALIAS/$BUCKET"
mc admin user info "$ALIAS" "$SERVICE_USER"
