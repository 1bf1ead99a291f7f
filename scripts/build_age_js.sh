#!/usr/bin/env bash
# Rebuild src/testament/intake/static/age.bundle.js from the age-encryption npm package ("typage",
# Filippo Valsorda's TypeScript implementation of age), with the versions pinned in
# scripts/js/package-lock.json. The bundle is committed: the intake serves it itself, no CDN.
#
#   scripts/build_age_js.sh        # needs node and npm; writes the bundle and its licence file
set -euo pipefail
cd "$(dirname "$0")/js"
static=../../src/testament/intake/static

npm ci --no-audit --no-fund --ignore-scripts
version=$(node -p 'require("./node_modules/age-encryption/package.json").version')

# esbuild ships its binary in @esbuild/<platform>; --ignore-scripts skips only its self-check.
./node_modules/.bin/esbuild entry.js \
  --bundle --format=iife --global-name=testamentAge --platform=browser --target=es2020 \
  --minify --legal-comments=none \
  --banner:js="/* age-encryption ${version} (https://github.com/FiloSottile/typage) and its dependencies, bundled for testament; licences in age.bundle.LICENSE.txt */" \
  --metafile=meta.json --outfile="$static/age.bundle.js"

# One licence file for everything the bundle contains: each package whose code esbuild included.
{
  echo "Licences of the code bundled in age.bundle.js (built by scripts/build_age_js.sh)."
  node -e '
    const meta = require("./meta.json");
    const folders = new Set();
    for (const input of Object.keys(meta.inputs)) {
      const match = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
      if (match) folders.add(match[1]);
    }
    console.log([...folders].sort().join("\n"));
  ' | while read -r folder; do
    name_version=$(node -p "const p = require('./$folder/package.json'); p.name + ' ' + p.version")
    echo
    echo "=============================================================================="
    echo "$name_version"
    echo "=============================================================================="
    cat "./$folder/LICENSE"
  done
} > "$static/age.bundle.LICENSE.txt"
rm -f meta.json
echo "wrote $static/age.bundle.js (age-encryption $version) and age.bundle.LICENSE.txt"
