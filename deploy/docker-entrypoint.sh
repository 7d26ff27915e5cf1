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
# JDK 23+ knows this option; with it, Kafka's use of sun.misc.Unsafe.invokeCleaner (unmapping index
# files) is allowed without the JDK 24+ warning. Older JDKs neither warn nor accept it.
unsafe=""
if java --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  unsafe="--sun-misc-unsafe-memory-access=allow"
fi
exec java $unsafe ${JAVA_OPTS:-} -Djava.util.logging.config.file=/app/logging.properties \
  -cp "/app/llmlb-health.jar:/app/lib/*" "$main"
