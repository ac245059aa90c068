#!/usr/bin/env bash
# Re-fetch the JavaScript that the HTML report inlines, at pinned versions, from npm.
#
#   migrator/reporting/html/vendor/update.sh
#
# Needs node and npm (the npm registry only). npm checks every tarball against the integrity
# hash the registry publishes. The layout extension and its two dependencies ship unminified
# UMD builds; they are minified here with a pinned terser. manifest.json records versions,
# licences and the sha256 of every file, in the order the report inlines them; the unit tests
# check the files against it. Bump a version below, run this, then run the report tests.
set -euo pipefail

CYTOSCAPE=3.34.4
LAYOUT_BASE=2.0.1
COSE_BASE=2.2.0
FCOSE=2.2.0
TERSER=5.51.4

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

fetch() {  # fetch NAME VERSION: unpack the npm tarball under ./NAME
    local tarball
    tarball="$(npm pack --silent "$1@$2")"
    mkdir "$1"
    tar -xzf "$tarball" -C "$1" --strip-components=1
}

fetch cytoscape "$CYTOSCAPE"
fetch layout-base "$LAYOUT_BASE"
fetch cose-base "$COSE_BASE"
fetch cytoscape-fcose "$FCOSE"
npm install --silent --no-save --no-audit --no-fund --prefix "$work/tools" "terser@$TERSER" >/dev/null

minify() {  # minify SOURCE TARGET BANNER: the banner keeps the copyright notice in the file
    printf '/*! %s */\n' "$3" >"$2"
    "$work/tools/node_modules/.bin/terser" "$1" --compress --mangle --comments false >>"$2"
}

cp cytoscape/dist/cytoscape.min.js "$here/cytoscape.min.js"
minify layout-base/layout-base.js "$here/layout-base.min.js" "layout-base $LAYOUT_BASE, MIT licence, (c) iVis@Bilkent"
minify cose-base/cose-base.js "$here/cose-base.min.js" "cose-base $COSE_BASE, MIT licence, (c) iVis@Bilkent"
minify cytoscape-fcose/cytoscape-fcose.js "$here/cytoscape-fcose.min.js" "cytoscape-fcose $FCOSE, MIT licence, (c) iVis@Bilkent"
cp cytoscape/LICENSE "$here/LICENSE-cytoscape.txt"
cp layout-base/LICENSE "$here/LICENSE-layout-base.txt"
cp cose-base/LICENSE "$here/LICENSE-cose-base.txt"
cp cytoscape-fcose/LICENSE "$here/LICENSE-cytoscape-fcose.txt"

cd "$here"
python3 - "$CYTOSCAPE" "$LAYOUT_BASE" "$COSE_BASE" "$FCOSE" <<'PY'
import hashlib, json, sys
versions = dict(zip(("cytoscape", "layout-base", "cose-base", "cytoscape-fcose"), sys.argv[1:]))
packages = []
for name, version in versions.items():
    script = "cytoscape.min.js" if name == "cytoscape" else f"{name}.min.js"
    licence = f"LICENSE-{name}.txt"
    packages.append({
        "name": name,
        "version": version,
        "license": "MIT",
        "script": script,
        "license_file": licence,
        "sha256": {f: hashlib.sha256(open(f, "rb").read()).hexdigest() for f in (script, licence)},
    })
with open("manifest.json", "w", encoding="utf-8") as out:
    json.dump({"packages": packages}, out, indent=2)
    out.write("\n")
PY
echo "vendored: cytoscape $CYTOSCAPE, layout-base $LAYOUT_BASE, cose-base $COSE_BASE, cytoscape-fcose $FCOSE"
