# Offline stand-in for the apache/kafka image: the project image (whose /app/lib already holds
# the whole Kafka 4.4.0 broker) plus apache/kafka's layout and start-up convention
# (/etc/kafka/docker/run, KAFKA_* variables, CLUSTER_ID, /opt/kafka, /var/lib/kafka/data, appuser).
# Built FROM the project image, it adds a few kilobytes, not a second copy of the jars.
ARG PROJECT_IMAGE=llmlb-local/llmlb-health:local
FROM ${PROJECT_IMAGE}
USER root
RUN useradd --uid 1000 --create-home --home-dir /home/appuser --shell /bin/bash appuser \
 && mkdir -p /opt/kafka/config /var/lib/kafka/data /etc/kafka/secrets /mnt/shared/config \
 && ln -s /app/lib /opt/kafka/libs \
 && chown -R appuser /opt/kafka/config /var/lib/kafka /etc/kafka/secrets /mnt/shared/config
COPY kafka/ /etc/kafka/docker/
USER appuser
WORKDIR /home/appuser
EXPOSE 9092
ENTRYPOINT []
CMD ["/etc/kafka/docker/run"]
