#!/usr/bin/env bash
# Groups (actor hierarchy: members inherit the group's permissions)
# The seed's CLI example, with `oso-cloud` replaced by `boreal`.
set -euo pipefail
boreal tell has_role Group:oso-readers reader Org:oso
boreal tell has_role User:alice member Group:oso-readers
boreal authorize User:alice read Org:oso
