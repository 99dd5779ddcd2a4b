#!/usr/bin/env bash
# Makes `dotnet new sessions-lambda` and `dotnet new sessions-functions` work from a clone, before any package is
# published: packs the libraries and the template package into a local feed (artifacts/feed, ignored by git), installs
# the templates from that feed, and adds the feed to your user-level NuGet sources, so projects created from the
# templates restore the SessionsServerless packages from it (everything else still comes from nuget.org).
#
#   bash eng/install-templates.sh               # pack, install, add the source
#   bash eng/install-templates.sh --uninstall   # undo all three
#
# Each run packs a version of its own (for example 0.1.0-local.20261201211500), so a project created after a new run
# never restores a stale copy of an earlier one from the NuGet cache. Undo by hand:
#   dotnet new uninstall SessionsServerless.Templates
#   dotnet nuget remove source sessionsserverless-local
#   rm -rf artifacts/feed
#
# For tests and CI (no effect on the machine's own template list or NuGet sources):
#   SESSIONS_TEMPLATE_HIVE=<dir>    install into that template hive (dotnet new --debug:custom-hive <dir>)
#   SESSIONS_NUGET_CONFIG=<file>    add the source to that NuGet config file instead of the user-level one
#   SESSIONS_NO_BUILD=1             pack the existing Release build (dotnet pack --no-build --no-restore)
#   SESSIONS_FEED=<dir>             the feed folder (default: artifacts/feed)
set -euo pipefail
cd "$(dirname "$0")/.."

source_name="sessionsserverless-local"
feed="$(mkdir -p "${SESSIONS_FEED:-artifacts/feed}" && cd "${SESSIONS_FEED:-artifacts/feed}" && pwd)"
hive_args=()
if [[ -n "${SESSIONS_TEMPLATE_HIVE:-}" ]]; then
  hive_args=(--debug:custom-hive "$SESSIONS_TEMPLATE_HIVE")
fi
config_args=()
if [[ -n "${SESSIONS_NUGET_CONFIG:-}" ]]; then
  config_args=(--configfile "$SESSIONS_NUGET_CONFIG")
fi

remove_source() {
  if dotnet nuget list source "${config_args[@]}" | grep -q "^ *[0-9]*\. *$source_name "; then
    dotnet nuget remove source "$source_name" "${config_args[@]}" >/dev/null
  fi
}

if [[ "${1:-}" == "--uninstall" ]]; then
  dotnet new uninstall SessionsServerless.Templates "${hive_args[@]}" >/dev/null 2>&1 || true
  remove_source
  rm -rf "$feed"
  echo "Removed the SessionsServerless templates, the NuGet source $source_name and $feed."
  exit 0
fi

projects=(
  src/Sessions/SessionsServerless.csproj
  src/Lambda/SessionsServerless.Lambda.csproj
  src/AzureFunctions/CustomHandler/SessionsServerless.AzureFunctions.csproj
  src/AzureFunctions/Worker/SessionsServerless.AzureFunctions.Worker.csproj
  src/Stores.Dynamo/SessionsServerless.Stores.DynamoDB.csproj
  src/Stores.Table/SessionsServerless.Stores.AzureTables.csproj
  src/Stores.Redis/SessionsServerless.Stores.Redis.csproj
  templates/SessionsServerless.Templates.csproj
)
suffix="local.$(date -u +%Y%m%d%H%M%S)"
build_args=()
if [[ "${SESSIONS_NO_BUILD:-}" == "1" ]]; then
  build_args=(--no-build --no-restore)
fi

rm -f "$feed"/*.nupkg
for project in "${projects[@]}"; do
  dotnet pack "$project" -c Release -o "$feed" --version-suffix "$suffix" "${build_args[@]}" -nologo -tl:off -v:q
done
package="$(ls "$feed"/SessionsServerless.Templates.*.nupkg)"
version="${package##*/SessionsServerless.Templates.}"
version="${version%.nupkg}"

dotnet new install "$package" --force "${hive_args[@]}"

remove_source
dotnet nuget add source "$feed" --name "$source_name" "${config_args[@]}" >/dev/null

echo
echo "SessionsServerless templates $version installed; projects created from them restore the SessionsServerless"
echo "packages from $feed (NuGet source $source_name). Try:"
echo "  dotnet new sessions-lambda -o MyApp && cd MyApp && dotnet test"
echo "Undo with: bash eng/install-templates.sh --uninstall"
