# The runtime image from jars built on the host: what deploy/offline-images.sh builds, and what
# the Dockerfile's `runtime` stage holds. Its build context is a staging folder with
#   lib/        third-party jars (standalone/target/lib minus our modules: a layer that rarely changes)
#   modules/    the project's module jars (llmlb-health-*.jar from standalone/target/lib)
#   llmlb-health.jar  logging.properties  entrypoint.sh
# The offline kit stages it; by hand:  deploy/offline-images.sh  (see docs/deployment.md).
ARG RUNTIME_IMAGE=eclipse-temurin:21-jre
FROM ${RUNTIME_IMAGE}
RUN useradd --system --uid 10001 --home /app llmlb && mkdir -p /app/data && chown llmlb /app/data
WORKDIR /app
COPY lib/ /app/lib/
COPY modules/ /app/lib/
COPY llmlb-health.jar logging.properties entrypoint.sh /app/
USER llmlb
ENV LLMLB_DATA_DIR=/app/data
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["standalone"]
