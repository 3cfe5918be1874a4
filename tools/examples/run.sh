#!/usr/bin/env bash
# `npm run test:examples`: what a user gets from the registry, tried as a user would. Packs the
# library (`npm pack`, whose prepack builds lib/), installs the tarball into each example under
# examples/ (a real install from the registry and the tarball, no path alias), builds it (type
# checks included) and runs its own Playwright smoke test against a sample video.
# Each example's results land in reports/playwright-example-<name>.json, which the CI's count
# reads; an example that cannot install or build is recorded there as one failed test.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
pack="$root/.tmp/pack"
rm -rf "$pack" && mkdir -p "$pack" "$root/reports"
npm pack --silent --pack-destination "$pack" >/dev/null || { echo "examples: npm pack failed"; exit 1; }
tgz=$(ls "$pack"/chunkwise-*.tgz)
echo "examples: packed $(basename "$tgz") ($(tar -tzf "$tgz" | wc -l) files)"

status=0
for dir in examples/*/; do
  name=$(basename "$dir")
  report="$root/reports/playwright-example-$name.json"
  rm -f "$report"
  echo "examples: $name"
  if ! (
    cd "$dir" &&
      rm -rf node_modules &&
      mkdir -p public &&
      cp "$root/media/sample-faststart.mp4" public/sample.mp4 &&
      npm install --no-save --no-audit --no-fund --prefer-offline --loglevel=error "$tgz" &&
      npm run build
  ); then
    echo "examples: $name did not install or build"
    printf '{"stats":{"expected":0,"unexpected":0},"errors":[{"message":"%s did not install or build"}]}\n' "$name" >"$report"
    status=1
    continue
  fi
  (cd "$dir" && SMOKE_REPORT="$report" npx playwright test) || status=1
done
exit $status
