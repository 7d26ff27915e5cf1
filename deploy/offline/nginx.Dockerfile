# Offline stand-in for the nginx image: Debian's nginx on the debootstrap base. Like the official
# image it reads /etc/nginx/nginx.conf, logs to stdout/stderr and runs in the foreground.
ARG BASE_IMAGE=llmlb-local/debian:trixie
FROM ${BASE_IMAGE}
# policy-rc.d keeps the package from starting a daemon inside the build.
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /usr/sbin/policy-rc.d \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
