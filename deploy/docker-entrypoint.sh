#!/bin/sh
# Picks the service to run in the llmlb-health image.
set -e
case "${1:-standalone}" in
  ingest) main=io.llmlb.health.ingest.IngestMain ;;
  state-processor) main=io.llmlb.health.processor.StateProcessorMain ;;
  query-api) main=io.llmlb.health.query.QueryApiMain ;;
  standalone) main=io.llmlb.health.standalone.StandaloneMain ;;
  *) echo "usage: entrypoint.sh ingest|state-processor|query-api|standalone" >&2; exit 2 ;;
esac
exec java ${JAVA_OPTS:-} -Djava.util.logging.config.file=/app/logging.properties \
  -cp "/app/llmlb-health.jar:/app/lib/*" "$main"
