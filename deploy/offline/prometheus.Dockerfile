# Offline stand-in for the prom/prometheus image: Debian's prometheus on the debootstrap base,
# with the official image's interface: entrypoint the prometheus binary, configuration in
# /etc/prometheus/prometheus.yml, data in /prometheus, user nobody, port 9090.
ARG BASE_IMAGE=llmlb-local/debian:trixie
FROM ${BASE_IMAGE}
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /usr/sbin/policy-rc.d \
 && mkdir -p /prometheus && chown nobody:nogroup /prometheus
USER nobody
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
