#!/bin/sh
# make build's last step: publishes patchbay-cni to bin/.patchbay-cni and makes bin/patchbay-cni. A runtime starts
# the plugin once per verb, so it is compiled ahead of time (Native AOT: a few ms to start instead of ~60 ms
# through the dotnet host; BENCHMARKS.md "CNI ADD/DEL"). Where Native AOT cannot build (no C toolchain, no
# ILCompiler package), the JIT build is published instead, started by a dotnet wrapper; it says so.
set -eu
configuration=$1
out=bin/.patchbay-cni
rm -rf "$out" bin/patchbay-cni
mkdir -p "$out"
if dotnet publish src/Patchbay.Cni/Patchbay.Cni.csproj -c "$configuration" -r linux-x64 -p:PublishAot=true -o "$out" >"$out/publish.log" 2>&1; then
    cp "$out/patchbay-cni" bin/patchbay-cni
else
    echo "publish.sh: Native AOT publish of patchbay-cni failed (bin/.patchbay-cni/publish.log); using the JIT build" >&2
    dotnet publish src/Patchbay.Cni/Patchbay.Cni.csproj -c "$configuration" --no-build -o "$out"
    printf '%s\n' '#!/bin/sh' '# Runs the published CNI plugin (make build); install it in a CNI plugin directory as "patchbay".' \
        'exec dotnet "$(dirname "$(readlink -f "$0")")/.patchbay-cni/patchbay-cni.dll" "$@"' >bin/patchbay-cni
    chmod +x bin/patchbay-cni
fi
CNI_COMMAND=VERSION bin/patchbay-cni </dev/null >/dev/null
