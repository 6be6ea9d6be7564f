#!/usr/bin/env bash
# Print README.md's command after <!-- NAME-command --> (NAME is "test" or "build"): the one place CI, nox and the
# GitHub workflow read it from, so they run exactly what the README tells a newcomer to run.
set -euo pipefail
name=${1:?usage: readme_command.sh test|build}
command=$(awk -v marker="<!-- $name-command -->" '$0 == marker {found=1; next} found && /^```/ {if (inside) exit; inside=1; next} inside {print; exit}' "$(dirname "$0")/../README.md")
if [ -z "$command" ]; then
  echo "README.md has no command after <!-- $name-command -->" >&2
  exit 1
fi
echo "$command"
