# The Java runtime layer of the offline kit: Debian's OpenJDK 21 JRE on the debootstrap base.
# apt reaches the Debian mirror over plain HTTP, the one thing containers here can reach.
ARG BASE_IMAGE=llmlb-local/debian:trixie
FROM ${BASE_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-21-jre-headless \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*
