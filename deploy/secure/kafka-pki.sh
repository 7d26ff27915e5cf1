#!/usr/bin/env bash
# One-shot, before the brokers start (docker-compose.secure.yml, service kafka-pki): makes the
# secured cluster's secrets once, with keytool from the image's JRE, into one volume per holder:
#   /secrets/broker    CA certificate, the brokers' key and certificate (SAN kafka-1..3, localhost,
#                      127.0.0.1; CN=kafka-broker, a super user), its store password     -> brokers
#   /secrets/admin     the CA key, an admin client key (CN=llmlb-admin, a super user, mutual TLS
#                      on the brokers' BROKER listener), the services' SCRAM passwords    -> kafka-setup
#   /secrets/<service> CA certificate and that service's client.properties (SASL_SSL,
#                      SCRAM-SHA-512, its own user and random password)                  -> that service
# Nothing is made again once the CA exists: restarts keep every secret. Runs as root to hand
# each file to the user that reads it (brokers uid 1000, services uid 10001), mode 0400.
set -euo pipefail
umask 077

S=/secrets
BROKER_UID=${LLMLB_KAFKA_UID:-1000}
SERVICE_UID=${LLMLB_SERVICE_UID:-10001}
BOOTSTRAP=${LLMLB_SECURE_BOOTSTRAP:-kafka-1:9092,kafka-2:9092,kafka-3:9092}
ADMIN_BOOTSTRAP=${LLMLB_SECURE_ADMIN_BOOTSTRAP:-kafka-1:9094,kafka-2:9094,kafka-3:9094}
SERVICES="ingest:llmlb-ingest processor:llmlb-processor query:llmlb-query"

log() { printf 'kafka-pki: %s\n' "$*" >&2; }

keytool_bin() {
  if command -v keytool >/dev/null 2>&1; then command -v keytool; return; fi
  echo "$(dirname "$(readlink -f "$(command -v java)")")/keytool"
}
KEYTOOL=$(keytool_bin)

secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

if [ -s "$S/admin/ca.p12" ] && [ -s "$S/broker/broker.p12" ]; then
  log "secrets exist; nothing to do"
  exit 0
fi
log "making the CA, the brokers' and the admin's certificates and the services' SCRAM passwords"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$S/admin" "$S/broker"

ca_pw=$(secret); broker_pw=$(secret); admin_pw=$(secret)
"$KEYTOOL" -genkeypair -alias ca -dname "CN=llmlb-kafka-ca" -ext bc:c -keyalg EC -groupname secp256r1 \
  -validity 3650 -storetype PKCS12 -keystore "$S/admin/ca.p12" -storepass "$ca_pw" -keypass "$ca_pw" 2>/dev/null
"$KEYTOOL" -exportcert -alias ca -rfc -file "$work/ca.crt" -keystore "$S/admin/ca.p12" -storepass "$ca_pw"

# issue <keystore> <password> <alias> <dname> [san]: a key pair signed by the CA, chain in the keystore
issue() {
  local store="$1" pw="$2" alias="$3" dname="$4" san="${5:-}"
  "$KEYTOOL" -genkeypair -alias "$alias" -dname "$dname" -keyalg EC -groupname secp256r1 -validity 825 \
    -storetype PKCS12 -keystore "$store" -storepass "$pw" -keypass "$pw" 2>/dev/null
  "$KEYTOOL" -certreq -alias "$alias" -file "$work/$alias.csr" -keystore "$store" -storepass "$pw"
  "$KEYTOOL" -gencert -alias ca -infile "$work/$alias.csr" -outfile "$work/$alias.crt" -rfc -validity 825 \
    -keystore "$S/admin/ca.p12" -storepass "$ca_pw" ${san:+-ext "SAN=$san"} -ext "EKU=serverAuth,clientAuth"
  "$KEYTOOL" -importcert -noprompt -alias ca -file "$work/ca.crt" -keystore "$store" -storepass "$pw" 2>/dev/null
  "$KEYTOOL" -importcert -alias "$alias" -file "$work/$alias.crt" -keystore "$store" -storepass "$pw" 2>/dev/null
}
issue "$S/broker/broker.p12" "$broker_pw" broker "CN=kafka-broker" \
  "dns:kafka-1,dns:kafka-2,dns:kafka-3,dns:localhost,ip:127.0.0.1"
issue "$S/admin/admin.p12" "$admin_pw" admin "CN=llmlb-admin"

cp "$work/ca.crt" "$S/broker/ca.crt"
cp "$work/ca.crt" "$S/admin/ca.crt"
# Read by the brokers through Kafka's FileConfigProvider: no password in the compose file.
printf 'password=%s\n' "$broker_pw" > "$S/broker/broker-credentials.properties"
printf 'ca_password=%s\n' "$ca_pw" > "$S/admin/ca-credentials.properties"
cat > "$S/admin/admin.properties" <<PROPS
# The administrator: mutual TLS as CN=llmlb-admin (a super user) on the brokers' BROKER listener.
bootstrap.servers=$ADMIN_BOOTSTRAP
security.protocol=SSL
ssl.keystore.type=PKCS12
ssl.keystore.location=/secrets/admin/admin.p12
ssl.keystore.password=$admin_pw
ssl.key.password=$admin_pw
ssl.truststore.type=PEM
ssl.truststore.location=/secrets/admin/ca.crt
PROPS

: > "$S/admin/scram-users"
for entry in $SERVICES; do
  dir="${entry%%:*}"; user="${entry#*:}"; pw=$(secret)
  mkdir -p "$S/$dir"
  cp "$work/ca.crt" "$S/$dir/ca.crt"
  printf '%s:%s\n' "$user" "$pw" >> "$S/admin/scram-users"
  cat > "$S/$dir/client.properties" <<PROPS
# $user: SASL_SSL with SCRAM-SHA-512 (made by kafka-pki; see README, Kafka security).
bootstrap.servers=$BOOTSTRAP
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$user" password="$pw";
ssl.truststore.type=PEM
ssl.truststore.location=/etc/llmlb/kafka/ca.crt
PROPS
  chown -R "$SERVICE_UID" "$S/$dir"
  chmod 0400 "$S/$dir"/*
done
chown -R "$BROKER_UID" "$S/broker"
chmod 0400 "$S/broker"/*
chown -R "$SERVICE_UID" "$S/admin"
chmod 0400 "$S/admin"/*
log "done"
