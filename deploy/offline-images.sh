#!/usr/bin/env bash
# The offline image kit: builds every image docker-compose.yml uses from Debian packages and the
# project's own jars only (no image registry, no Maven inside a container), then writes
# deploy/offline.env with the image variables:
#   deploy/offline-images.sh
#   LLMLB_JWT_SECRET=$(openssl rand -base64 48) docker-compose --env-file deploy/offline.env up -d
# Images (tag $LLMLB_OFFLINE_TAG, default "local"):
#   llmlb-local/debian:trixie       debootstrap base, built once per machine and reused by tag
#   llmlb-local/jre:21              + Debian's openjdk-21-jre-headless (shared by the two below)
#   llmlb-local/llmlb-health:TAG    the project image (deploy/runtime.Dockerfile, host-built jars)
#   llmlb-local/kafka:TAG           apache/kafka stand-in on the project's Kafka 4.4.0 jars
#   llmlb-local/nginx:TAG           Debian's nginx          llmlb-local/prometheus:TAG  Debian's prometheus
# Environment:
#   LLMLB_OFFLINE_TAG       tag of the four stack images (default local)
#   LLMLB_OFFLINE_ENV_FILE  where to write the image variables (default deploy/offline.env)
#   LLMLB_NO_BUILD          set: never run Maven; fail if the jars are missing (used inside a Maven build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KIT="$ROOT/deploy/offline"
TAG="${LLMLB_OFFLINE_TAG:-local}"
ENV_FILE="${LLMLB_OFFLINE_ENV_FILE:-$ROOT/deploy/offline.env}"
BASE_IMAGE=llmlb-local/debian:trixie
JRE_IMAGE=llmlb-local/jre:21
PROJECT_IMAGE="llmlb-local/llmlb-health:$TAG"
KAFKA_IMAGE="llmlb-local/kafka:$TAG"
NGINX_IMAGE="llmlb-local/nginx:$TAG"
PROMETHEUS_IMAGE="llmlb-local/prometheus:$TAG"
JAR="$ROOT/standalone/target/llmlb-health-standalone.jar"
LIB="$ROOT/standalone/target/lib"
MIN_JAVA=21

log() { printf 'offline-images: %s\n' "$*" >&2; }

java_major() { # prints the major version of the java binary $1 (as ./llmlb-health does)
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

find_java() { # sets JAVA_HOME to a JDK >= 21: JAVA_HOME first, then /usr/lib/jvm
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate/bin/java")"
    if [ -n "$major" ] && [ "${major%%.*}" -ge "$MIN_JAVA" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  log "needs a JDK $MIN_JAVA or newer to build the jars (set JAVA_HOME)"; exit 1
}

jars_stale() { # true when the jars are missing or older than a source or pom of the modules they hold
  [ -f "$JAR" ] && [ -d "$LIB" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT"/{wire,kafka,http-common,ingest,state-processor,query-api,standalone}/{pom.xml,src/main} \
      -newer "$JAR" -print -quit 2>/dev/null)" ]
}

ensure_jars() {
  jars_stale || return 0
  if [ -n "${LLMLB_NO_BUILD:-}" ]; then
    [ -f "$JAR" ] || { log "LLMLB_NO_BUILD is set and $JAR is missing"; exit 1; }
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || { log "needs Apache Maven to build the jars (apt-get install maven)"; exit 1; }
  find_java
  log "building the jars on the host (mvn package)..."
  (cd "$ROOT" && mvn -q -B -DskipTests package)
}

debian_mirror() { # the Debian mirror apt already uses (deb822 or one-line sources)
  local mirror
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /^http/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  echo "${mirror:-http://deb.debian.org/debian}"
}

ensure_base() { # the debootstrap base, once per machine: reused by tag, never removed here
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then return 0; fi
  command -v debootstrap >/dev/null 2>&1 || { log "needs debootstrap to build $BASE_IMAGE (apt-get install debootstrap)"; exit 1; }
  local rootfs mirror
  rootfs=$(mktemp -d)
  mirror=$(debian_mirror)
  log "building $BASE_IMAGE with debootstrap from $mirror (about 2.5 minutes, once per machine)..."
  debootstrap --variant=minbase trixie "$rootfs" "$mirror" >/dev/null
  tar -C "$rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

build() { # image, dockerfile, context, build args...
  local image="$1" dockerfile="$2" context="$3"; shift 3
  local started=$SECONDS output
  # Quiet on success (the legacy builder's deprecation notice included), everything on failure.
  if ! output=$(docker build -t "$image" -f "$dockerfile" "$@" "$context" 2>&1); then
    printf '%s\n' "$output" >&2; log "building $image failed"; exit 1
  fi
  log "$image built in $((SECONDS - started)) s"
}

stage_runtime() { # the build context of deploy/runtime.Dockerfile, in $1
  local stage="$1"
  mkdir -p "$stage/lib" "$stage/modules"
  cp "$LIB"/*.jar "$stage/lib/"
  mv "$stage/lib"/llmlb-health-*.jar "$stage/modules/"
  cp "$JAR" "$stage/llmlb-health.jar"
  cp "$ROOT/config/logging.properties" "$stage/logging.properties"
  cp "$ROOT/deploy/docker-entrypoint.sh" "$stage/entrypoint.sh"
}

main() {
  docker info >/dev/null 2>&1 || { log "no Docker engine answers (docker info failed)"; exit 1; }
  ensure_jars
  ensure_base
  if ! docker image inspect "$JRE_IMAGE" >/dev/null 2>&1; then
    build "$JRE_IMAGE" "$KIT/jre.Dockerfile" "$KIT" --build-arg "BASE_IMAGE=$BASE_IMAGE"
  fi
  STAGE=$(mktemp -d)
  trap 'rm -rf "$STAGE"' EXIT
  stage_runtime "$STAGE"
  build "$PROJECT_IMAGE" "$ROOT/deploy/runtime.Dockerfile" "$STAGE" --build-arg "RUNTIME_IMAGE=$JRE_IMAGE"
  build "$KAFKA_IMAGE" "$KIT/kafka.Dockerfile" "$KIT" --build-arg "PROJECT_IMAGE=$PROJECT_IMAGE"
  build "$NGINX_IMAGE" "$KIT/nginx.Dockerfile" "$KIT" --build-arg "BASE_IMAGE=$BASE_IMAGE"
  build "$PROMETHEUS_IMAGE" "$KIT/prometheus.Dockerfile" "$KIT" --build-arg "BASE_IMAGE=$BASE_IMAGE"

  cat > "$ENV_FILE" <<EOF
# Written by deploy/offline-images.sh: the images of the offline kit, for
#   docker-compose --env-file ${ENV_FILE#"$ROOT"/} up -d   (with LLMLB_JWT_SECRET set)
LLMLB_IMAGE=$PROJECT_IMAGE
LLMLB_KAFKA_IMAGE=$KAFKA_IMAGE
LLMLB_NGINX_IMAGE=$NGINX_IMAGE
LLMLB_PROMETHEUS_IMAGE=$PROMETHEUS_IMAGE
EOF
  log "wrote $ENV_FILE"
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' \
    | grep -E "^($BASE_IMAGE|$JRE_IMAGE|$PROJECT_IMAGE|$KAFKA_IMAGE|$NGINX_IMAGE|$PROMETHEUS_IMAGE) " >&2 || true
}

main "$@"
