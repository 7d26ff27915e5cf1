# One image for every service of llmlb-health; the command picks the main class.
#   docker build -t llmlb-health .          (needs Maven Central and Docker Hub)
#   docker run llmlb-health ingest|state-processor|query-api|standalone
# Base images are build arguments, so a mirror or a local image can stand in:
#   docker build --build-arg BUILD_IMAGE=... --build-arg RUNTIME_IMAGE=... .
# Without a registry, build the jars on the host and use deploy/offline-images.sh, which feeds
# them to deploy/runtime.Dockerfile (the same layout as the runtime stage below): the legacy
# builder cannot skip the Maven stage with --target.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-21
ARG RUNTIME_IMAGE=eclipse-temurin:21-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY wire/pom.xml wire/
COPY kafka/pom.xml kafka/
COPY agent/pom.xml agent/
COPY http-common/pom.xml http-common/
COPY ingest/pom.xml ingest/
COPY state-processor/pom.xml state-processor/
COPY query-api/pom.xml query-api/
COPY standalone/pom.xml standalone/
COPY tools/pom.xml tools/
COPY wire/src wire/src
COPY kafka/src kafka/src
COPY agent/src agent/src
COPY http-common/src http-common/src
COPY ingest/src ingest/src
COPY state-processor/src state-processor/src
COPY query-api/src query-api/src
COPY standalone/src standalone/src
COPY tools/src tools/src
RUN mvn -q -B -DskipTests package
# The staging layout of deploy/runtime.Dockerfile: third-party jars apart from ours.
RUN mkdir -p /stage/lib /stage/modules \
 && cp standalone/target/lib/*.jar /stage/lib/ \
 && mv /stage/lib/llmlb-health-*.jar /stage/modules/ \
 && cp standalone/target/llmlb-health-standalone.jar /stage/llmlb-health.jar

FROM ${RUNTIME_IMAGE} AS runtime
RUN useradd --system --uid 10001 --home /app llmlb && mkdir -p /app/data && chown llmlb /app/data
WORKDIR /app
COPY --from=build /stage/lib/ /app/lib/
COPY --from=build /stage/modules/ /app/lib/
COPY --from=build /stage/llmlb-health.jar /app/llmlb-health.jar
COPY config/logging.properties /app/logging.properties
COPY deploy/docker-entrypoint.sh /app/entrypoint.sh
USER llmlb
ENV LLMLB_DATA_DIR=/app/data
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["standalone"]
