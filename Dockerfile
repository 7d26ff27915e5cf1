# One image for every service of llmlb-health; the command picks the main class.
#   docker build -t llmlb-health .
#   docker run llmlb-health ingest|state-processor|query-api|standalone
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml ./
COPY wire/pom.xml wire/
COPY http-common/pom.xml http-common/
COPY ingest/pom.xml ingest/
COPY state-processor/pom.xml state-processor/
COPY query-api/pom.xml query-api/
COPY standalone/pom.xml standalone/
COPY wire/src wire/src
COPY http-common/src http-common/src
COPY ingest/src ingest/src
COPY state-processor/src state-processor/src
COPY query-api/src query-api/src
COPY standalone/src standalone/src
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --home /app llmlb && mkdir -p /app/data && chown llmlb /app/data
WORKDIR /app
COPY --from=build /src/standalone/target/llmlb-health-standalone.jar /app/llmlb-health.jar
COPY --from=build /src/standalone/target/lib /app/lib
COPY config/logging.properties /app/logging.properties
COPY deploy/docker-entrypoint.sh /app/entrypoint.sh
USER llmlb
ENV LLMLB_DATA_DIR=/app/data
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["standalone"]
