#!/usr/bin/env bash
# One-shot, once the brokers answer (docker-compose.secure.yml, service kafka-setup): as the
# admin (mutual TLS, a super user) creates the services' SCRAM-SHA-512 users, then the topics and
# the least-privilege ACLs (./llmlb-health acls --apply). Idempotent: safe on every start.
set -euo pipefail
export LLMLB_KAFKA_CONFIG=/secrets/admin/admin.properties
cp=(-cp "/app/llmlb-health.jar:/app/lib/*")
logging=-Djava.util.logging.config.file=/app/logging.properties
java $logging "${cp[@]}" io.llmlb.health.standalone.acl.ScramUsersMain /secrets/admin/scram-users
exec java $logging "${cp[@]}" io.llmlb.health.standalone.acl.AclsMain --apply
