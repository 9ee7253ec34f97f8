# The custom CodeBuild image: svcdiff baked in as one static binary. See docker/README.md.
#
#   docker build -t "svcdiff:$(bash scripts/version.sh)" .
#   docker build --target binary --output . .              # just ./svcdiff
#   docker buildx build --platform linux/arm64 -t svcdiff:arm64 .
#   docker build --build-arg BASE_IMAGE=my-codebuild-standard:7.0 -t svcdiff .
#
# Every command of the builder stage is one CI runs too: scripts/check-release.sh
# reads them from this file and runs them (for amd64 and arm64).

# The image the binary is added to; any Linux image works (the binary is static).
ARG BASE_IMAGE=amazonlinux:2023

# The builder always runs on the build machine's platform and cross-builds for
# an arm64 target, so no emulator is needed to build.
FROM --platform=$BUILDPLATFORM debian:12 AS builder
ARG TARGETARCH
WORKDIR /src
COPY scripts/ scripts/
RUN bash scripts/install-deps.sh
COPY . .
ENV SVCDIFF_STAGE=/stage
RUN bash scripts/build-release.sh "${TARGETARCH:-amd64}"

# `docker build --target binary --output . .` leaves ./svcdiff and nothing else.
FROM scratch AS binary
COPY --from=builder /stage/usr/bin/svcdiff /svcdiff

FROM ${BASE_IMAGE}
COPY --from=builder /stage/usr/bin/svcdiff /usr/local/bin/svcdiff
COPY --from=builder /stage/usr/share/svcdiff/ /usr/share/svcdiff/
COPY docker/smoke-test.sh /usr/share/svcdiff/smoke-test.sh
RUN sh /usr/share/svcdiff/smoke-test.sh
