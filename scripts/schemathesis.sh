# Sourced by scripts/setup.sh (which installs it) and scripts/api-fuzz.sh
# (which runs it): where schemathesis lives, at which version (its
# dependencies are pinned in scripts/schemathesis-requirements.txt).
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV="${WALKBOOK_TOOLS:-$HOME/.cache/walkbook}/schemathesis-$SCHEMATHESIS_VERSION"
