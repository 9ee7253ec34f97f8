# The custom CodeBuild image: svcdiff baked in as one static binary.
#
#   docker build -t svcdiff .
#   docker run --rm -v "$PWD:/src" -w /src svcdiff svcdiff --base HEAD~1 -o -
#
# The builder stage runs the same scripts as the README and CI
# (scripts/install-deps.sh, scripts/build.sh), so CI exercises these steps.
FROM debian:12 AS build
WORKDIR /src
COPY scripts/ scripts/
RUN bash scripts/install-deps.sh
COPY . .
RUN SVCDIFF_BUILD_DIR=/src/build bash scripts/build.sh -DSVCDIFF_TESTS=OFF -DSVCDIFF_BENCHMARKS=OFF \
 && strip build/svcdiff \
 && ./build/svcdiff --version

# CodeBuild runs buildspec commands with a shell and needs git for the source
# checkout; the rest of the image is up to you (see docker/README.md).
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates awscli \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/svcdiff /usr/local/bin/svcdiff
COPY buildspecs/ /usr/share/svcdiff/buildspecs/
RUN svcdiff --version
CMD ["svcdiff", "--help"]
