#!/usr/bin/env bash
# Toggles (a Boolean resource attribute switches a role's permission on or off)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell has_role User:alice member Repo:legacy
boreal tell is_protected Repo:legacy Boolean:false
boreal authorize User:alice delete Repo:legacy
