# IotSim as a container: the NativeAOT binary on a chiseled (distroless) base, running as a non-root user.
#   docker build -t iotsim .
#   docker run --rm -v "$PWD/my.yaml:/config/scenario.yaml:ro" iotsim
# The scenario is read from IOTSIM_CONFIG (a mounted file); every flag also works as IOTSIM_<FLAG> in the environment.

# Build: the SDK with the native toolchain NativeAOT links with.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends clang zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/IotSim.Cli -c Release -r linux-x64 -p:PublishAot=true -o /out \
    && rm -f /out/*.dbg /out/*.pdb /out/*.xml

# Run: only what the binary needs (glibc, libstdc++, OpenSSL, certificates, time zones); no shell, no package manager.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /out/iotsim /out/centos8-librdkafka.so /out/libe_sqlite3.so /app/
# The chiseled images' non-root user (app, uid 1654), by number so that runAsNonRoot can check it.
USER 1654:1654
ENV IOTSIM_CONFIG=/config/scenario.yaml
WORKDIR /data
ENTRYPOINT ["/app/iotsim"]
CMD ["run"]
