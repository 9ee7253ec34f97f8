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
# The ready buildspecs that call AWS (detect-changes-s3.yml's `aws s3 cp`,
# record-last-good.yml's `aws ssm put-parameter`) need the AWS CLI, which
# Amazon Linux 2023's container image lacks: installed with dnf when the base
# has neither; a base that has it (CodeBuild's standard images) is left as is.
RUN command -v aws >/dev/null 2>&1 || \
    { command -v dnf >/dev/null 2>&1 && dnf install -y awscli-2 && dnf clean all; } || \
    echo "svcdiff image: no AWS CLI in BASE_IMAGE and no dnf to add it; the buildspecs that call aws need one" >&2
COPY --from=builder /stage/usr/bin/svcdiff /usr/local/bin/svcdiff
COPY --from=builder /stage/usr/share/svcdiff/ /usr/share/svcdiff/
COPY docker/smoke-test.sh /usr/share/svcdiff/smoke-test.sh
RUN sh /usr/share/svcdiff/smoke-test.sh
